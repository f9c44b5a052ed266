// SPDX-License-Identifier: GPL-2.0
/*
 * The translation prefix: prefix set, prefix show.
 */

#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/genetlink.h>
#include <linux/map646.h>

#include "map646ctl.h"
#include "nl.h"

/* RFC 6052 section 2.2 */
static const unsigned int prefix_lens[] = { 32, 40, 48, 56, 64, 96 };

static int parse_len(const char *s)
{
	char buf[4];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(prefix_lens); i++) {
		snprintf(buf, sizeof(buf), "%u", prefix_lens[i]);
		if (!strcmp(s, buf))
			return prefix_lens[i];
	}
	return -1;
}

/* PREFIX/LEN, or none: the all-zero prefix with length 0. 0 or CMD_USAGE. */
int parse_prefix(const char *arg, struct in6_addr *prefix,
			uint8_t *plen)
{
	const char *slash = strchr(arg, '/');
	char addr[INET6_ADDRSTRLEN];
	int len, i;

	memset(prefix, 0, sizeof(*prefix));
	*plen = 0;
	if (!strcmp(arg, "none"))
		return 0;
	if (!slash)
		return bad_usage("'%s' is neither PREFIX/LEN (like 64:ff9b::/96) nor none",
				 arg);
	if (slash - arg >= (int)sizeof(addr))
		return bad_usage("'%.*s' is not an IPv6 address",
				 (int)(slash - arg), arg);
	snprintf(addr, sizeof(addr), "%.*s", (int)(slash - arg), arg);
	if (inet_pton(AF_INET6, addr, prefix) != 1)
		return bad_usage("'%s' is not an IPv6 address", addr);
	len = parse_len(slash + 1);
	if (len < 0)
		return bad_usage("prefix length '%s' is not one of 32 40 48 56 64 96",
				 slash + 1);
	for (i = len / 8; i < 16; i++)
		if (prefix->s6_addr[i])
			return bad_usage("'%s' has bits set past /%d",
					 arg, len);
	if (prefix->s6_addr[8])
		return bad_usage("'%s' has bits 64-71 set; RFC 6052 wants them zero",
				 arg);
	*plen = len;
	return 0;
}

int cmd_prefix_set(int argc, char **argv)
{
	struct in6_addr prefix;
	struct nlmsghdr *nlh;
	uint8_t len;
	int ret;

	if (argc != 1)
		return bad_argc(argc, argv, 1);
	ret = parse_prefix(argv[0], &prefix, &len);
	if (ret)
		return ret;
	if (nl_open())
		return CMD_FAILED;
	nlh = nl_request(MAP646_CMD_CONFIG_SET);
	mnl_attr_put(nlh, MAP646_A_PREFIX, sizeof(prefix), &prefix);
	mnl_attr_put_u8(nlh, MAP646_A_PREFIX_LEN, len);
	return nl_do(nlh, NULL, NULL) ? CMD_FAILED : 0;
}

static int config_cb(const struct nlmsghdr *nlh, void *data __maybe_unused)
{
	static const struct nl_policy pol[MAP646_A_MAX + 1] = {
		[MAP646_A_PREFIX] = {
			.type = MNL_TYPE_BINARY, .len = sizeof(struct in6_addr)
		},
		[MAP646_A_PREFIX_LEN] = { .type = MNL_TYPE_U8 },
	};
	const struct nlattr *tb[MAP646_A_MAX + 1];
	char addr[INET6_ADDRSTRLEN];

	if (nl_parse(nlh, GENL_HDRLEN, pol, MAP646_A_MAX, tb))
		return MNL_CB_ERROR;
	if (!tb[MAP646_A_PREFIX] || !tb[MAP646_A_PREFIX_LEN] ||
	    !mnl_attr_get_u8(tb[MAP646_A_PREFIX_LEN])) {
		if (opt_json)
			puts("null");
		else
			puts("none");
		return MNL_CB_OK;
	}
	inet_ntop(AF_INET6, mnl_attr_get_payload(tb[MAP646_A_PREFIX]), addr,
		  sizeof(addr));
	if (opt_json)
		printf("\"%s/%u\"\n", addr,
		       mnl_attr_get_u8(tb[MAP646_A_PREFIX_LEN]));
	else
		printf("%s/%u\n", addr, mnl_attr_get_u8(tb[MAP646_A_PREFIX_LEN]));
	return MNL_CB_OK;
}

int cmd_prefix_show(int argc, char **argv)
{
	if (argc)
		return bad_argc(argc, argv, 0);
	if (nl_open())
		return CMD_FAILED;
	return nl_do(nl_request(MAP646_CMD_CONFIG_GET), config_cb, NULL) ?
	       CMD_FAILED : 0;
}
