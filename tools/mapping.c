// SPDX-License-Identifier: GPL-2.0
/*
 * The mapping table: mapping add|del|show|flush (and the short forms).
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/genetlink.h>
#include <linux/map646.h>
#include <openssl/evp.h>

#include "map646ctl.h"
#include "nl.h"

const char *untranslatable4(const struct in_addr *a)
{
	uint32_t h = ntohl(a->s_addr);

	if ((h >> 24) == 0 || (h >> 24) == 127)
		return "unspecified or loopback";
	if ((h >> 28) == 0xe)
		return "multicast";
	if (h == 0xffffffff)
		return "broadcast";
	return NULL;
}

const char *untranslatable6(const struct in6_addr *a)
{
	static const struct in6_addr any = IN6ADDR_ANY_INIT;
	static const struct in6_addr lo = IN6ADDR_LOOPBACK_INIT;

	if (!memcmp(a, &any, sizeof(*a)) || !memcmp(a, &lo, sizeof(*a)))
		return "unspecified or loopback";
	if (a->s6_addr[0] == 0xff)
		return "multicast";
	if (IN6_IS_ADDR_V4MAPPED(a))
		return "IPv4-mapped";
	return NULL;
}

int cmd_map_add(int argc, char **argv)
{
	struct nlmsghdr *nlh;
	struct in_addr v4;
	struct in6_addr v6;
	const char *why;

	if (argc != 2)
		return bad_argc(argc, argv, 2);
	if (inet_pton(AF_INET, argv[0], &v4) != 1)
		return bad_usage("'%s' is not an IPv4 address", argv[0]);
	if (inet_pton(AF_INET6, argv[1], &v6) != 1)
		return bad_usage("'%s' is not an IPv6 address", argv[1]);
	/* what config check refuses, refused here too: same words */
	why = untranslatable4(&v4);
	if (why) {
		failed("%s cannot be translated (%s)", argv[0], why);
		return CMD_FAILED;
	}
	why = untranslatable6(&v6);
	if (why) {
		failed("%s cannot be translated (%s)", argv[1], why);
		return CMD_FAILED;
	}
	if (nl_open())
		return CMD_FAILED;
	nlh = nl_request(MAP646_CMD_MAP_ADD);
	mnl_attr_put(nlh, MAP646_A_MAP_IPV4, sizeof(v4), &v4);
	mnl_attr_put(nlh, MAP646_A_MAP_IPV6, sizeof(v6), &v6);
	return nl_do(nlh, NULL, NULL) ? CMD_FAILED : 0;
}

int cmd_map_del(int argc, char **argv)
{
	struct nlmsghdr *nlh;
	struct in6_addr addr;
	uint16_t type;
	size_t len;

	if (argc != 1)
		return bad_argc(argc, argv, 1);
	if (inet_pton(AF_INET, argv[0], &addr) == 1) {
		type = MAP646_A_MAP_IPV4;
		len = sizeof(struct in_addr);
	} else if (inet_pton(AF_INET6, argv[0], &addr) == 1) {
		type = MAP646_A_MAP_IPV6;
		len = sizeof(struct in6_addr);
	} else {
		return bad_usage("'%s' is neither an IPv4 nor an IPv6 address",
				 argv[0]);
	}
	if (nl_open())
		return CMD_FAILED;
	nlh = nl_request(MAP646_CMD_MAP_DEL);
	mnl_attr_put(nlh, type, len, &addr);
	return nl_do(nlh, NULL, NULL) ? CMD_FAILED : 0;
}

int maps_push(struct maps *m, const struct mapping *x)
{
	size_t size = m->size ? 2 * m->size : 1024;
	struct mapping *v;

	if (m->n == m->size) {
		v = reallocarray(m->v, size, sizeof(*v));
		if (!v)
			return -1;
		m->v = v;
		m->size = size;
	}
	m->v[m->n++] = *x;
	return 0;
}

static int counter_cb(const struct nlattr *attr, void *data)
{
	struct map_counters *c = data;
	uint64_t v;

	if (mnl_attr_validate(attr, MNL_TYPE_U64) < 0)
		return MNL_CB_OK;
	v = mnl_attr_get_u64(attr);
	switch (mnl_attr_get_type(attr)) {
	case MAP646_MAP_STAT_PKTS_4TO6:
		c->pkts_4to6 = v;
		break;
	case MAP646_MAP_STAT_BYTES_4TO6:
		c->bytes_4to6 = v;
		break;
	case MAP646_MAP_STAT_PKTS_6TO4:
		c->pkts_6to4 = v;
		break;
	case MAP646_MAP_STAT_BYTES_6TO4:
		c->bytes_6to4 = v;
		break;
	case MAP646_MAP_STAT_IDLE_MS:
		c->idle_ms = v;
		c->used = true;
		break;
	}
	return MNL_CB_OK;
}

static int mapping_cb(const struct nlmsghdr *nlh, void *data)
{
	static const struct nl_policy pol[MAP646_A_MAX + 1] = {
		[MAP646_A_MAP_IPV4] = {
			.type = MNL_TYPE_BINARY, .len = sizeof(struct in_addr)
		},
		[MAP646_A_MAP_IPV6] = {
			.type = MNL_TYPE_BINARY, .len = sizeof(struct in6_addr)
		},
		[MAP646_A_MAP_STATS] = { .type = MNL_TYPE_NESTED },
	};
	const struct nlattr *tb[MAP646_A_MAX + 1];
	struct mapping m = { 0 };

	if (nl_parse(nlh, GENL_HDRLEN, pol, MAP646_A_MAX, tb))
		return MNL_CB_ERROR;
	if (!tb[MAP646_A_MAP_IPV4] || !tb[MAP646_A_MAP_IPV6])
		return nl_bad_reply("mapping without its addresses");
	memcpy(&m.v4, mnl_attr_get_payload(tb[MAP646_A_MAP_IPV4]), sizeof(m.v4));
	memcpy(&m.v6, mnl_attr_get_payload(tb[MAP646_A_MAP_IPV6]), sizeof(m.v6));
	if (tb[MAP646_A_MAP_STATS] &&
	    mnl_attr_parse_nested(tb[MAP646_A_MAP_STATS], counter_cb,
				  &m.c) == MNL_CB_ERROR)
		return MNL_CB_ERROR;
	return maps_push(data, &m) ? MNL_CB_ERROR : MNL_CB_OK;
}

static void maps_reset(void *data)
{
	((struct maps *)data)->n = 0;
}

int maps_dump(struct maps *m)
{
	if (nl_open())
		return -1;
	return nl_dump(nl_request(MAP646_CMD_MAP_GET), mapping_cb, m,
		       maps_reset);
}

static void print_json(const struct maps *t)
{
	char v4[INET_ADDRSTRLEN], v6[INET6_ADDRSTRLEN];
	const struct mapping *m;

	json_begin('[', NULL);
	for (m = t->v; m < t->v + t->n; m++) {
		json_begin('{', NULL);
		json_str("ipv4", inet_ntop(AF_INET, &m->v4, v4, sizeof(v4)));
		json_str("ipv6", inet_ntop(AF_INET6, &m->v6, v6, sizeof(v6)));
		if (opt_stats) {
			json_begin('{', "stats");
			json_u64("packets_4to6", m->c.pkts_4to6);
			json_u64("bytes_4to6", m->c.bytes_4to6);
			json_u64("packets_6to4", m->c.pkts_6to4);
			json_u64("bytes_6to4", m->c.bytes_6to4);
			if (m->c.used)
				json_u64("idle_ms", m->c.idle_ms);
			else
				json_null("idle_ms");
			json_end('}');
		}
		json_end('}');
	}
	json_end(']');
}

void maps_print(const struct maps *t)
{
	char v4[INET_ADDRSTRLEN], v6[INET6_ADDRSTRLEN];
	const struct mapping *m;

	if (opt_json) {
		print_json(t);
		return;
	}
	for (m = t->v; m < t->v + t->n; m++) {
		printf("%s %s", inet_ntop(AF_INET, &m->v4, v4, sizeof(v4)),
		       inet_ntop(AF_INET6, &m->v6, v6, sizeof(v6)));
		if (opt_stats) {
			printf(" packets_4to6 %" PRIu64 " bytes_4to6 %" PRIu64
			       " packets_6to4 %" PRIu64 " bytes_6to4 %" PRIu64,
			       m->c.pkts_4to6, m->c.bytes_4to6,
			       m->c.pkts_6to4, m->c.bytes_6to4);
			if (m->c.used)
				printf(" idle_ms %" PRIu64, m->c.idle_ms);
			else
				printf(" idle_ms -");
		}
		putchar('\n');
	}
}

static int by_v4(const void *a, const void *b)
{
	const struct mapping *x = a, *y = b;

	return memcmp(&x->v4, &y->v4, sizeof(x->v4)) ?:
	       memcmp(&x->v6, &y->v6, sizeof(x->v6));
}

void maps_sort(struct maps *m)
{
	qsort(m->v, m->n, sizeof(*m->v), by_v4);
}

int maps_digest(const struct maps *m, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len, i;
	EVP_MD_CTX *ctx;
	size_t k;
	int ok;

	ctx = EVP_MD_CTX_new();
	ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	for (k = 0; ok && k < m->n; k++)
		ok = EVP_DigestUpdate(ctx, &m->v[k].v4, sizeof(m->v[k].v4)) &&
		     EVP_DigestUpdate(ctx, &m->v[k].v6, sizeof(m->v[k].v6));
	ok = ok && EVP_DigestFinal_ex(ctx, md, &len) && len == 32;
	EVP_MD_CTX_free(ctx);
	if (!ok) {
		failed("SHA-256 failed");
		return -1;
	}
	for (i = 0; i < len; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	return 0;
}

/* mapping show IPV4|IPV6: the one mapping, looked up by the kernel. */
static int map_show_one(const char *arg)
{
	struct maps one = { 0 };
	struct nlmsghdr *nlh;
	struct in6_addr a6;
	struct in_addr a4;
	int ret;

	if (inet_pton(AF_INET, arg, &a4) != 1 &&
	    inet_pton(AF_INET6, arg, &a6) != 1)
		return bad_usage("'%s' is neither an IPv4 nor an IPv6 address",
				 arg);
	if (nl_open())
		return CMD_FAILED;
	nlh = nl_request(MAP646_CMD_MAP_GET);
	if (inet_pton(AF_INET, arg, &a4) == 1)
		mnl_attr_put(nlh, MAP646_A_MAP_IPV4, sizeof(a4), &a4);
	else
		mnl_attr_put(nlh, MAP646_A_MAP_IPV6, sizeof(a6), &a6);
	ret = nl_do(nlh, mapping_cb, &one) || one.n != 1 ? CMD_FAILED : 0;
	if (!ret)
		maps_print(&one);
	free(one.v);
	return ret;
}

/* mapping show [IPV4|IPV6]: the whole table, or the one mapping. */
int cmd_map_show(int argc, char **argv)
{
	struct maps t = { 0 };
	int ret;

	if (argc > 1)
		return bad_argc(argc, argv, 1);
	if (argc)
		return map_show_one(argv[0]);
	ret = maps_dump(&t) ? CMD_FAILED : 0;
	if (!ret)
		maps_print(&t);
	free(t.v);
	return ret;
}

int cmd_map_flush(int argc, char **argv)
{
	if (argc)
		return bad_argc(argc, argv, 0);
	if (nl_open())
		return CMD_FAILED;
	return nl_do(nl_request(MAP646_CMD_MAP_FLUSH), NULL, NULL) ? CMD_FAILED : 0;
}
