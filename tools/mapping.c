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

int parse_block(const char *arg, int family, void *addr, uint8_t *len,
		const char **why)
{
	unsigned int max = family == AF_INET ? 32 : 128, i;
	const char *slash = strchr(arg, '/');
	char host[INET6_ADDRSTRLEN];
	unsigned char *b = addr;
	unsigned long l = max;
	char *end;

	*why = family == AF_INET ? "is not an IPv4 address or block" :
				   "is not an IPv6 address or block";
	if (slash) {
		/* inet_pton() wants the address alone */
		if (slash - arg >= (long)sizeof(host))
			return -1;
		memcpy(host, arg, slash - arg);
		host[slash - arg] = '\0';
		arg = host;
	}
	if (inet_pton(family, arg, addr) != 1)
		return -1;
	if (slash) {
		l = strtoul(slash + 1, &end, 10);
		if (*end || end == slash + 1 || l > max)
			return -1;
	}
	/* a whole address has no bits past its length (most lines of a file) */
	for (i = l / 8; i < max / 8; i++)
		if (b[i] & (i * 8 >= l ? 0xff :
			    i * 8 + 8 > l ? 0xff >> (l - i * 8) : 0)) {
			*why = "has bits set past its prefix length";
			return -1;
		}
	*len = l;
	return 0;
}

const char *block_str(int family, const void *addr, uint8_t len, char *buf,
		      size_t size)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(family, addr, a, sizeof(a));
	if (len == (family == AF_INET ? 32 : 128))
		snprintf(buf, size, "%s", a);
	else
		snprintf(buf, size, "%s/%u", a, len);
	return buf;
}

/* The addresses of a mapping, for a request or a MAP646_A_MAP nest. */
static void put_block(struct nlmsghdr *nlh, bool four, const struct mapping *m)
{
	if (four) {
		mnl_attr_put(nlh, MAP646_A_MAP_IPV4, sizeof(m->v4), &m->v4);
		if (m->len4 != 32)
			mnl_attr_put_u8(nlh, MAP646_A_MAP_IPV4_LEN, m->len4);
	} else {
		mnl_attr_put(nlh, MAP646_A_MAP_IPV6, sizeof(m->v6), &m->v6);
		if (m->len6 != 128)
			mnl_attr_put_u8(nlh, MAP646_A_MAP_IPV6_LEN, m->len6);
	}
}

void mapping_put(struct nlmsghdr *nlh, const struct mapping *m,
		 unsigned int attrs)
{
	if (m->is66) {
		if (attrs & MAP_WITH_V6)
			mnl_attr_put(nlh, MAP646_A_MAP66_GLOBAL, sizeof(m->v6),
				     &m->v6);
		if (attrs & MAP_WITH_V4)
			mnl_attr_put(nlh, MAP646_A_MAP66_INTERNAL,
				     sizeof(m->internal), &m->internal);
		return;
	}
	if (attrs & MAP_WITH_V4)
		put_block(nlh, true, m);
	if (attrs & MAP_WITH_V6)
		put_block(nlh, false, m);
}

/* mapping add IPV4[/LEN] IPV6[/LEN] */
int cmd_map_add(int argc, char **argv)
{
	struct mapping m = { .len4 = 32, .len6 = 128 };
	struct nlmsghdr *nlh;
	const char *why;

	if (argc != 2)
		return bad_argc(argc, argv, 2);
	if (parse_block(argv[0], AF_INET, &m.v4, &m.len4, &why))
		return bad_usage("'%s' %s", argv[0], why);
	if (parse_block(argv[1], AF_INET6, &m.v6, &m.len6, &why))
		return bad_usage("'%s' %s", argv[1], why);
	if (m.len4 == 32 && m.len6 != 128)
		return bad_usage("'%s' is one address, '%s' a block", argv[0],
				 argv[1]);
	if (32 - m.len4 > 128 - m.len6)
		return bad_usage("the IPv4 block %s is larger than the IPv6 block %s",
				 argv[0], argv[1]);
	/* what config check refuses, refused here too: same words */
	why = m.len4 == 32 ? untranslatable4(&m.v4) : NULL;
	if (why) {
		failed("%s cannot be translated (%s)", argv[0], why);
		return CMD_FAILED;
	}
	why = m.len6 == 128 ? untranslatable6(&m.v6) : NULL;
	if (why) {
		failed("%s cannot be translated (%s)", argv[1], why);
		return CMD_FAILED;
	}
	if (nl_open())
		return CMD_FAILED;
	nlh = nl_request(MAP646_CMD_MAP_ADD);
	mapping_put(nlh, &m, MAP_WITH_V4 | MAP_WITH_V6);
	return nl_do(nlh, NULL, NULL) ? CMD_FAILED : 0;
}

/* mapping del IPV4[/LEN]|IPV6[/LEN] */
int cmd_map_del(int argc, char **argv)
{
	struct mapping m = { .len4 = 32, .len6 = 128 };
	struct nlmsghdr *nlh;
	const char *why;
	bool four;

	if (argc != 1)
		return bad_argc(argc, argv, 1);
	four = !strchr(argv[0], ':');
	if (parse_block(argv[0], four ? AF_INET : AF_INET6,
			four ? (void *)&m.v4 : (void *)&m.v6,
			four ? &m.len4 : &m.len6, &why))
		return bad_usage("'%s' is neither an IPv4 nor an IPv6 address or block",
				 argv[0]);
	if (nl_open())
		return CMD_FAILED;
	nlh = nl_request(MAP646_CMD_MAP_DEL);
	put_block(nlh, four, &m);
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
		[MAP646_A_MAP_IPV4_LEN] = { .type = MNL_TYPE_U8 },
		[MAP646_A_MAP_IPV6_LEN] = { .type = MNL_TYPE_U8 },
	};
	const struct nlattr *tb[MAP646_A_MAX + 1];
	struct mapping m = { .len4 = 32, .len6 = 128 };

	if (nl_parse(nlh, GENL_HDRLEN, pol, MAP646_A_MAX, tb))
		return MNL_CB_ERROR;
	if (!tb[MAP646_A_MAP_IPV4] || !tb[MAP646_A_MAP_IPV6])
		return nl_bad_reply("mapping without its addresses");
	memcpy(&m.v4, mnl_attr_get_payload(tb[MAP646_A_MAP_IPV4]), sizeof(m.v4));
	memcpy(&m.v6, mnl_attr_get_payload(tb[MAP646_A_MAP_IPV6]), sizeof(m.v6));
	if (tb[MAP646_A_MAP_IPV4_LEN] && tb[MAP646_A_MAP_IPV6_LEN]) {
		m.len4 = mnl_attr_get_u8(tb[MAP646_A_MAP_IPV4_LEN]);
		m.len6 = mnl_attr_get_u8(tb[MAP646_A_MAP_IPV6_LEN]);
	}
	return maps_push_counted(data, &m, tb[MAP646_A_MAP_STATS]);
}

int maps_push_counted(void *data, struct mapping *m,
		      const struct nlattr *stats)
{
	if (stats &&
	    mnl_attr_parse_nested(stats, counter_cb, &m->c) == MNL_CB_ERROR)
		return MNL_CB_ERROR;
	return maps_push(data, m) ? MNL_CB_ERROR : MNL_CB_OK;
}

static void maps_reset(void *data)
{
	((struct maps *)data)->n = 0;
}

int maps_dump_cmd(uint8_t cmd,
		  int (*cb)(const struct nlmsghdr *nlh, void *data),
		  struct maps *m)
{
	if (nl_open())
		return -1;
	return nl_dump(nl_request(cmd), cb, m, maps_reset);
}

int maps_dump(struct maps *m)
{
	return maps_dump_cmd(MAP646_CMD_MAP_GET, mapping_cb, m);
}

/* The counters of @m; @in, @out: the names of its two directions. */
static void counters_print(const struct map_counters *c, const char *in,
			   const char *out)
{
	char name[32];

	if (opt_json) {
		json_begin('{', "stats");
		snprintf(name, sizeof(name), "packets_%s", in);
		json_u64(name, c->pkts_4to6);
		snprintf(name, sizeof(name), "bytes_%s", in);
		json_u64(name, c->bytes_4to6);
		snprintf(name, sizeof(name), "packets_%s", out);
		json_u64(name, c->pkts_6to4);
		snprintf(name, sizeof(name), "bytes_%s", out);
		json_u64(name, c->bytes_6to4);
		if (c->used)
			json_u64("idle_ms", c->idle_ms);
		else
			json_null("idle_ms");
		json_end('}');
		return;
	}
	printf(" packets_%s %" PRIu64 " bytes_%s %" PRIu64
	       " packets_%s %" PRIu64 " bytes_%s %" PRIu64, in, c->pkts_4to6,
	       in, c->bytes_4to6, out, c->pkts_6to4, out, c->bytes_6to4);
	if (c->used)
		printf(" idle_ms %" PRIu64, c->idle_ms);
	else
		printf(" idle_ms -");
}

void maps_print(const struct maps *t)
{
	char v4[INET6_ADDRSTRLEN + 4], v6[INET6_ADDRSTRLEN + 4];
	const struct mapping *m;

	if (opt_json)
		json_begin('[', NULL);
	for (m = t->v; m < t->v + t->n; m++) {
		if (m->is66) {
			inet_ntop(AF_INET6, &m->v6, v4, sizeof(v4));
			inet_ntop(AF_INET6, &m->internal, v6, sizeof(v6));
		} else {
			block_str(AF_INET, &m->v4, m->len4, v4, sizeof(v4));
			block_str(AF_INET6, &m->v6, m->len6, v6, sizeof(v6));
		}
		if (opt_json) {
			json_begin('{', NULL);
			json_str(m->is66 ? "global" : "ipv4", v4);
			json_str(m->is66 ? "internal" : "ipv6", v6);
		} else {
			printf("%s %s", v4, v6);
		}
		/* map66: in towards the internal address, out from it */
		if (opt_stats)
			counters_print(&m->c, m->is66 ? "in" : "4to6",
				       m->is66 ? "out" : "6to4");
		if (opt_json)
			json_end('}');
		else
			putchar('\n');
	}
	if (opt_json)
		json_end(']');
}

int mapping_cmp(const void *a, const void *b)
{
	const struct mapping *x = a, *y = b;

	if (x->is66 != y->is66)
		return x->is66 - y->is66;
	if (x->is66)
		return memcmp(&x->v6, &y->v6, sizeof(x->v6)) ?:
		       memcmp(&x->internal, &y->internal, sizeof(x->internal));
	return memcmp(&x->v4, &y->v4, sizeof(x->v4)) ?: x->len4 - y->len4 ?:
	       memcmp(&x->v6, &y->v6, sizeof(x->v6)) ?: x->len6 - y->len6;
}

void maps_sort(struct maps *m)
{
	qsort(m->v, m->n, sizeof(*m->v), mapping_cmp);
}

int maps_dump_all(struct maps *m)
{
	struct maps t66 = { 0 };
	size_t i;
	int err;

	err = maps_dump(m) ?: maps66_dump(&t66);
	for (i = 0; !err && i < t66.n; i++)
		err = maps_push(m, &t66.v[i]);
	free(t66.v);
	return err;
}

/* The bytes of @x that maps_digest() hashes. */
static int digest_mapping(EVP_MD_CTX *ctx, const struct mapping *x)
{
	uint8_t lens[2] = { x->len4, x->len6 };

	if (x->is66)
		return EVP_DigestUpdate(ctx, &x->v6, sizeof(x->v6)) &&
		       EVP_DigestUpdate(ctx, &x->internal, sizeof(x->internal));
	return EVP_DigestUpdate(ctx, &x->v4, sizeof(x->v4)) &&
	       EVP_DigestUpdate(ctx, &x->v6, sizeof(x->v6)) &&
	       (x->len4 == 32 || EVP_DigestUpdate(ctx, lens, sizeof(lens)));
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
		ok = digest_mapping(ctx, &m->v[k]);
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
