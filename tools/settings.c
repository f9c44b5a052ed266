// SPDX-License-Identifier: GPL-2.0
/*
 * Device settings: settings set KEY VALUE..., settings show.
 */

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <linux/genetlink.h>
#include <linux/map646.h>

#include "map646ctl.h"
#include "nl.h"

/* A yes/no setting: its key, attribute and the words for 1 and 0. */
static const struct flag {
	const char *key;
	uint16_t attr;
	const char *on, *off;
} flags[] = {
	{ "udp-zero-checksum", MAP646_A_UDP_ZERO_CSUM, "compute", "drop" },
	{ "tos", MAP646_A_TOS_COPY, "copy", "zero" },
	{ "icmp-errors", MAP646_A_ICMP_REPLY, "on", "off" },
	{ "path", MAP646_A_PATH, "device", "prerouting" },
};

/*
 * fast-path, retired: "off" (re-injection) is path device, and is taken as
 * such; "on" has no exact successor, so the user chooses.
 */
static int fast_path(struct nlmsghdr *nlh, const char *val)
{
	static bool told;

	if (!strcmp(val, "on"))
		return bad_usage("fast-path is retired: write 'path prerouting' (translates before routing, faster; FORWARD no longer sees the packets) or 'path device' (FORWARD and the device see them)");
	if (strcmp(val, "off"))
		return bad_usage("fast-path is retired; 'path prerouting|device' replaces it");
	if (!told)
		warnx("fast-path off is taken as 'path device' (re-injection); fast-path is retired, see map646.conf(5)");
	told = true;
	mnl_attr_put_u8(nlh, MAP646_A_PATH, MAP646_PATH_DEVICE);
	return 0;
}

/* A.B.C.D/LEN or none. */
static int parse_pool(const char *arg, struct in_addr *addr, uint8_t *len)
{
	char buf[INET_ADDRSTRLEN];
	const char *slash = strchr(arg, '/');
	char *end;
	long l;

	addr->s_addr = 0;
	*len = 0;
	if (!strcmp(arg, "none"))
		return 0;
	if (!slash || slash - arg >= (int)sizeof(buf))
		return bad_usage("'%s' is neither A.B.C.D/LEN nor none", arg);
	snprintf(buf, sizeof(buf), "%.*s", (int)(slash - arg), arg);
	l = strtol(slash + 1, &end, 10);
	if (inet_pton(AF_INET, buf, addr) != 1 || *end || end == slash + 1 ||
	    l < 1 || l > 32)
		return bad_usage("'%s' is not A.B.C.D/LEN with LEN 1..32", arg);
	if (l < 32 && ntohl(addr->s_addr) & (0xffffffffU >> l))
		return bad_usage("'%s' has bits set past /%ld", arg, l);
	*len = l;
	return 0;
}

int settings_put(struct nlmsghdr *nlh, const char *key, const char *val)
{
	struct in6_addr prefix;
	struct in_addr pool;
	unsigned int i;
	uint8_t len;
	char *end;
	long mtu;
	int ret;

	if (!strcmp(key, "prefix")) {
		ret = parse_prefix(val, &prefix, &len);
		if (ret)
			return ret;
		mnl_attr_put(nlh, MAP646_A_PREFIX, sizeof(prefix), &prefix);
		mnl_attr_put_u8(nlh, MAP646_A_PREFIX_LEN, len);
		return 0;
	}
	if (!strcmp(key, "lowest-ipv6-mtu")) {
		mtu = strtol(val, &end, 10);
		if (*end || end == val || mtu < 1280 || mtu > 65535)
			return bad_usage("lowest-ipv6-mtu '%s' is not 1280..65535", val);
		mnl_attr_put_u16(nlh, MAP646_A_LOWEST_MTU, mtu);
		return 0;
	}
	if (!strcmp(key, "pool4")) {
		ret = parse_pool(val, &pool, &len);
		if (ret)
			return ret;
		mnl_attr_put(nlh, MAP646_A_POOL4, sizeof(pool), &pool);
		mnl_attr_put_u8(nlh, MAP646_A_POOL4_LEN, len);
		return 0;
	}
	if (!strcmp(key, "pool6")) {
		struct in6_addr pool6 = IN6ADDR_ANY_INIT;
		const char *why;

		len = 0;
		if (strcmp(val, "none") &&
		    (parse_block(val, AF_INET6, &pool6, &len, &why) || !len))
			return bad_usage("pool6 '%s' is neither PREFIX/LEN (LEN 1..128) nor none",
					 val);
		mnl_attr_put(nlh, MAP646_A_POOL6, sizeof(pool6), &pool6);
		mnl_attr_put_u8(nlh, MAP646_A_POOL6_LEN, len);
		return 0;
	}
	if (!strcmp(key, "fast-path"))
		return fast_path(nlh, val);
	for (i = 0; i < ARRAY_SIZE(flags); i++) {
		if (strcmp(key, flags[i].key))
			continue;
		if (strcmp(val, flags[i].on) && strcmp(val, flags[i].off))
			return bad_usage("%s is %s or %s, not '%s'", key,
					 flags[i].on, flags[i].off, val);
		mnl_attr_put_u8(nlh, flags[i].attr, !strcmp(val, flags[i].on));
		return 0;
	}
	return bad_usage("unknown setting '%s' (prefix, lowest-ipv6-mtu, udp-zero-checksum, tos, icmp-errors, path, pool4, pool6)",
			 key);
}

bool settings_known(const char *key)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(flags); i++)
		if (!strcmp(key, flags[i].key))
			return true;
	return !strcmp(key, "prefix") || !strcmp(key, "lowest-ipv6-mtu") ||
	       !strcmp(key, "pool4") || !strcmp(key, "pool6");
}

int cmd_settings_set(int argc, char **argv)
{
	char scratch[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	int i, ret;

	if (!argc || argc % 2)
		return bad_usage("settings set wants KEY VALUE pairs");
	/* check every pair before talking to the kernel */
	nlh = mnl_nlmsg_put_header(scratch);
	for (i = 0; i < argc; i += 2) {
		ret = settings_put(nlh, argv[i], argv[i + 1]);
		if (ret)
			return ret;
	}
	if (nl_open())
		return CMD_FAILED;
	nlh = nl_request(MAP646_CMD_CONFIG_SET);
	for (i = 0; i < argc; i += 2)
		settings_put(nlh, argv[i], argv[i + 1]);
	return nl_do(nlh, NULL, NULL) ? CMD_FAILED : 0;
}

static int settings_cb(const struct nlmsghdr *nlh, void *data)
{
	static const struct nl_policy pol[MAP646_A_MAX + 1] = {
		[MAP646_A_IFINDEX] = { .type = MNL_TYPE_U32 },
		[MAP646_A_IFNAME] = { .type = MNL_TYPE_NUL_STRING },
		[MAP646_A_PREFIX] = {
			.type = MNL_TYPE_BINARY, .len = sizeof(struct in6_addr)
		},
		[MAP646_A_PREFIX_LEN] = { .type = MNL_TYPE_U8 },
		[MAP646_A_MAP_COUNT] = { .type = MNL_TYPE_U32 },
		[MAP646_A_LOWEST_MTU] = { .type = MNL_TYPE_U16 },
		[MAP646_A_UDP_ZERO_CSUM] = { .type = MNL_TYPE_U8 },
		[MAP646_A_TOS_COPY] = { .type = MNL_TYPE_U8 },
		[MAP646_A_ICMP_REPLY] = { .type = MNL_TYPE_U8 },
		[MAP646_A_PATH] = { .type = MNL_TYPE_U8 },
		[MAP646_A_POOL4] = {
			.type = MNL_TYPE_BINARY, .len = sizeof(struct in_addr)
		},
		[MAP646_A_POOL4_LEN] = { .type = MNL_TYPE_U8 },
		[MAP646_A_POOL6] = {
			.type = MNL_TYPE_BINARY, .len = sizeof(struct in6_addr)
		},
		[MAP646_A_POOL6_LEN] = { .type = MNL_TYPE_U8 },
		[MAP646_A_MAP66_COUNT] = { .type = MNL_TYPE_U32 },
	};
	const struct nlattr *tb[MAP646_A_MAX + 1];
	struct dev_settings *s = data;
	unsigned int i;

	if (nl_parse(nlh, GENL_HDRLEN, pol, MAP646_A_MAX, tb))
		return MNL_CB_ERROR;
	memset(s, 0, sizeof(*s));
	if (tb[MAP646_A_IFNAME])
		snprintf(s->ifname, sizeof(s->ifname), "%s",
			 mnl_attr_get_str(tb[MAP646_A_IFNAME]));
	if (tb[MAP646_A_IFINDEX])
		s->ifindex = mnl_attr_get_u32(tb[MAP646_A_IFINDEX]);
	if (tb[MAP646_A_MAP_COUNT])
		s->count = mnl_attr_get_u32(tb[MAP646_A_MAP_COUNT]);
	if (tb[MAP646_A_MAP66_COUNT])
		s->count66 = mnl_attr_get_u32(tb[MAP646_A_MAP66_COUNT]);
	if (tb[MAP646_A_PREFIX] && tb[MAP646_A_PREFIX_LEN]) {
		memcpy(&s->prefix, mnl_attr_get_payload(tb[MAP646_A_PREFIX]),
		       sizeof(s->prefix));
		s->prefix_len = mnl_attr_get_u8(tb[MAP646_A_PREFIX_LEN]);
	}
	if (tb[MAP646_A_POOL4] && tb[MAP646_A_POOL4_LEN]) {
		memcpy(&s->pool4, mnl_attr_get_payload(tb[MAP646_A_POOL4]),
		       sizeof(s->pool4));
		s->pool4_len = mnl_attr_get_u8(tb[MAP646_A_POOL4_LEN]);
	}
	if (tb[MAP646_A_POOL6] && tb[MAP646_A_POOL6_LEN]) {
		memcpy(&s->pool6, mnl_attr_get_payload(tb[MAP646_A_POOL6]),
		       sizeof(s->pool6));
		s->pool6_len = mnl_attr_get_u8(tb[MAP646_A_POOL6_LEN]);
	}
	if (tb[MAP646_A_LOWEST_MTU])
		s->lowest_mtu = mnl_attr_get_u16(tb[MAP646_A_LOWEST_MTU]);
	for (i = 0; i < ARRAY_SIZE(flags); i++)
		s->flag[i] = tb[flags[i].attr] ?
			     !!mnl_attr_get_u8(tb[flags[i].attr]) : -1;
	return MNL_CB_OK;
}

int settings_get(struct dev_settings *s)
{
	if (nl_open())
		return -1;
	return nl_do(nl_request(MAP646_CMD_CONFIG_GET), settings_cb, s);
}

/*
 * Where the settings go: config-file lines (or " key value" pairs on the
 * current line: @one_line) or JSON members on @f, or settings appended
 * to @c.
 */
struct settings_sink {
	FILE *f;
	bool one_line;
	struct conf *c;
	int err;
};

/* One setting, as a config-file line, a JSON member or a conf setting. */
static void put(struct settings_sink *out, const char *key, const char *val,
		bool number)
{
	struct setting *v;
	char jkey[32];
	size_t i;

	if (out->c) {
		v = reallocarray(out->c->set, out->c->nset + 1, sizeof(*v));
		if (!v) {
			out->err = -1;
			return;
		}
		out->c->set = v;
		v += out->c->nset++;
		memset(v, 0, sizeof(*v));
		snprintf(v->key, sizeof(v->key), "%s", key);
		snprintf(v->val, sizeof(v->val), "%s", val);
		return;
	}
	if (!opt_json) {
		fprintf(out->f, out->one_line ? " %s %s" : "%s %s\n", key, val);
		return;
	}
	snprintf(jkey, sizeof(jkey), "%s", key);
	for (i = 0; jkey[i]; i++)
		if (jkey[i] == '-')
			jkey[i] = '_';
	if (!strcmp(val, "none"))
		json_null(jkey);
	else if (number)
		json_u64(jkey, strtoull(val, NULL, 10));
	else
		json_str(jkey, val);
}

static void put_count(struct settings_sink *out, uint32_t count)
{
	char val[16];

	snprintf(val, sizeof(val), "%u", count);
	put(out, "mappings", val, true);
}

static void settings_emit(struct settings_sink *out, const struct dev_settings *s,
			  bool all, const char *digest)
{
	char addr[INET6_ADDRSTRLEN], val[INET6_ADDRSTRLEN + 8];
	unsigned int i;

	if (opt_json && all && !out->c) {
		json_str("ifname", s->ifname);
		json_u64("ifindex", s->ifindex);
	}
	if (s->prefix_len)
		snprintf(val, sizeof(val), "%s/%u",
			 inet_ntop(AF_INET6, &s->prefix, addr, sizeof(addr)),
			 s->prefix_len);
	put(out, "prefix", s->prefix_len ? val : "none", false);
	if (s->lowest_mtu) {
		snprintf(val, sizeof(val), "%u", s->lowest_mtu);
		put(out, "lowest-ipv6-mtu", val, true);
	}
	for (i = 0; i < ARRAY_SIZE(flags); i++)
		if (s->flag[i] >= 0)
			put(out, flags[i].key,
			    s->flag[i] ? flags[i].on : flags[i].off, false);
	if (s->pool4_len)
		snprintf(val, sizeof(val), "%s/%u",
			 inet_ntop(AF_INET, &s->pool4, addr, sizeof(addr)),
			 s->pool4_len);
	put(out, "pool4", s->pool4_len ? val : "none", false);
	if (s->pool6_len)
		snprintf(val, sizeof(val), "%s/%u",
			 inet_ntop(AF_INET6, &s->pool6, addr, sizeof(addr)),
			 s->pool6_len);
	put(out, "pool6", s->pool6_len ? val : "none", false);
	if (!all)
		return;
	put_count(out, s->count);
	snprintf(val, sizeof(val), "%u", s->count66);
	put(out, "map66-mappings", val, true);
	if (digest)
		put(out, "digest", digest, false);
}

void settings_write(FILE *f, const struct dev_settings *s, bool all,
		    const char *digest)
{
	struct settings_sink out = { .f = f };

	settings_emit(&out, s, all, digest);
}

int settings_event(const struct nlmsghdr *nlh)
{
	struct settings_sink out = { .f = stdout, .one_line = true };
	struct dev_settings s;

	if (settings_cb(nlh, &s) != MNL_CB_OK)
		return MNL_CB_ERROR;
	settings_emit(&out, &s, false, NULL);
	put_count(&out, s.count);
	return MNL_CB_OK;
}

int settings_conf(const struct dev_settings *s, struct conf *c)
{
	struct settings_sink out = { .c = c };

	settings_emit(&out, s, false, NULL);
	return out.err;
}

/*
 * settings show: the settings, the numbers of mappings and the digest of
 * the table (a dump: the digest is the tool's, see maps_digest()).
 */
int cmd_settings_show(int argc, char **argv)
{
	struct dev_settings s;
	struct maps t = { 0 };
	char digest[65];
	int ret = CMD_FAILED;
	size_t i;

	if (argc)
		return bad_argc(argc, argv, 0);
	if (settings_get(&s) || maps_dump_all(&t))
		goto out;
	maps_sort(&t);
	if (maps_digest(&t, digest))
		goto out;
	/* the dump is the newer word on the counts */
	for (i = 0, s.count66 = 0; i < t.n; i++)
		s.count66 += t.v[i].is66;
	s.count = t.n - s.count66;
	if (opt_json)
		json_begin('{', NULL);
	settings_write(stdout, &s, true, digest);
	if (opt_json)
		json_end('}');
	ret = 0;
out:
	free(t.v);
	return ret;
}
