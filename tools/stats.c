// SPDX-License-Identifier: GPL-2.0
/*
 * The device's counters: stats show|reset (and the short form "stats"),
 * and stats_read() for stats prometheus.
 */

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/map646.h>

#include "map646ctl.h"
#include "nl.h"

/*
 * The name the kernel gives counter @type in MAP646_A_STATS_NAMES (a
 * counter newer than this tool keeps its name), or "stat_TYPE".
 */
static void stat_name(const struct nlattr *names, unsigned int type,
		      char *buf, size_t size)
{
	const struct nlattr *a;

	if (names)
		mnl_attr_for_each_nested(a, names)
			if (mnl_attr_get_type(a) == type &&
			    !mnl_attr_validate(a, MNL_TYPE_NUL_STRING)) {
				snprintf(buf, size, "%s", mnl_attr_get_str(a));
				return;
			}
	snprintf(buf, size, "stat_%u", type);
}

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	static const struct nl_policy pol[MAP646_A_MAX + 1] = {
		[MAP646_A_STATS] = { .type = MNL_TYPE_NESTED },
		[MAP646_A_STATS_NAMES] = { .type = MNL_TYPE_NESTED },
	};
	const struct nlattr *tb[MAP646_A_MAX + 1], *a;
	struct dev_stats *st = data;
	unsigned int type;

	if (nl_parse(nlh, GENL_HDRLEN, pol, MAP646_A_MAX, tb))
		return MNL_CB_ERROR;
	if (!tb[MAP646_A_STATS])
		return nl_bad_reply("no counters in reply");
	mnl_attr_for_each_nested(a, tb[MAP646_A_STATS]) {
		type = mnl_attr_get_type(a);
		if (type == MAP646_STAT_PAD || type >= DEV_STATS_MAX ||
		    mnl_attr_validate(a, MNL_TYPE_U64) < 0)
			continue;
		st->val[type] = mnl_attr_get_u64(a);
		stat_name(tb[MAP646_A_STATS_NAMES], type, st->name[type],
			  sizeof(st->name[type]));
	}
	return MNL_CB_OK;
}

int stats_read(struct dev_stats *st)
{
	memset(st, 0, sizeof(*st));
	if (nl_open())
		return -1;
	return nl_do(nl_request(MAP646_CMD_STATS_GET), stats_cb, st);
}

int cmd_stats_show(int argc, char **argv)
{
	struct dev_stats st;
	unsigned int type;

	if (argc)
		return bad_argc(argc, argv, 0);
	if (stats_read(&st))
		return CMD_FAILED;
	if (opt_json)
		json_begin('{', NULL);
	for (type = 0; type < DEV_STATS_MAX; type++) {
		if (!st.name[type][0])
			continue;
		if (opt_json)
			json_u64(st.name[type], st.val[type]);
		else
			printf("%s %" PRIu64 "\n", st.name[type], st.val[type]);
	}
	if (opt_json)
		json_end('}');
	return 0;
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
