// SPDX-License-Identifier: GPL-2.0
/*
 * The device's counters: stats show|reset (and the short form "stats").
 */

#include <inttypes.h>
#include <stdio.h>
#include <linux/genetlink.h>
#include <linux/map646.h>

#include "map646ctl.h"
#include "nl.h"

/*
 * The counters, each printed under the name the kernel gives it in
 * MAP646_A_STATS_NAMES: a counter newer than this tool keeps its name.
 */
struct counters {
	const struct nlattr *names;
};

static const char *stat_name(const struct counters *c, unsigned int type,
			     char *buf, size_t size)
{
	const struct nlattr *a;

	if (c->names)
		mnl_attr_for_each_nested(a, c->names)
			if (mnl_attr_get_type(a) == type &&
			    !mnl_attr_validate(a, MNL_TYPE_NUL_STRING))
				return mnl_attr_get_str(a);
	snprintf(buf, size, "stat_%u", type);
	return buf;
}

static int stat_cb(const struct nlattr *attr, void *data)
{
	unsigned int type = mnl_attr_get_type(attr);
	const char *name;
	char buf[16];

	if (type == MAP646_STAT_PAD ||
	    mnl_attr_validate(attr, MNL_TYPE_U64) < 0)
		return MNL_CB_OK;
	name = stat_name(data, type, buf, sizeof(buf));
	if (opt_json)
		json_u64(name, mnl_attr_get_u64(attr));
	else
		printf("%s %" PRIu64 "\n", name, mnl_attr_get_u64(attr));
	return MNL_CB_OK;
}

static int stats_cb(const struct nlmsghdr *nlh, void *data __maybe_unused)
{
	static const struct nl_policy pol[MAP646_A_MAX + 1] = {
		[MAP646_A_STATS] = { .type = MNL_TYPE_NESTED },
		[MAP646_A_STATS_NAMES] = { .type = MNL_TYPE_NESTED },
	};
	const struct nlattr *tb[MAP646_A_MAX + 1];
	struct counters c;
	int ret;

	if (nl_parse(nlh, GENL_HDRLEN, pol, MAP646_A_MAX, tb))
		return MNL_CB_ERROR;
	if (!tb[MAP646_A_STATS])
		return nl_bad_reply("no counters in reply");
	c.names = tb[MAP646_A_STATS_NAMES];
	if (opt_json)
		json_begin('{', NULL);
	ret = mnl_attr_parse_nested(tb[MAP646_A_STATS], stat_cb, &c);
	if (opt_json)
		json_end('}');
	return ret;
}

int cmd_stats_show(int argc, char **argv)
{
	if (argc)
		return bad_argc(argc, argv, 0);
	if (nl_open())
		return CMD_FAILED;
	return nl_do(nl_request(MAP646_CMD_STATS_GET), stats_cb, NULL) ?
	       CMD_FAILED : 0;
}

int cmd_stats_reset(int argc, char **argv)
{
	if (argc)
		return bad_argc(argc, argv, 0);
	if (nl_open())
		return CMD_FAILED;
	return nl_do(nl_request(MAP646_CMD_STATS_RESET), NULL, NULL) ?
	       CMD_FAILED : 0;
}
