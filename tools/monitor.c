// SPDX-License-Identifier: GPL-2.0
/*
 * monitor: print the table changes the kernel announces, one line each.
 */

#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/genetlink.h>
#include <linux/map646.h>

#include "map646ctl.h"
#include "nl.h"

static const char *const events[] = {
	[MAP646_CMD_MAP_ADD] = "add",
	[MAP646_CMD_MAP_DEL] = "del",
	[MAP646_CMD_MAP_FLUSH] = "flush",
	[MAP646_CMD_REPLACE_COMMIT] = "replace",
	[MAP646_CMD_MAP66_ADD] = "map66-add",
	[MAP646_CMD_MAP66_DEL] = "map66-del",
};

static int event_cb(const struct nlmsghdr *nlh, void *data __maybe_unused)
{
	static const struct nl_policy pol[MAP646_A_MAX + 1] = {
		[MAP646_A_IFINDEX] = { .type = MNL_TYPE_U32 },
		[MAP646_A_IFNAME] = { .type = MNL_TYPE_NUL_STRING },
		[MAP646_A_MAP_COUNT] = { .type = MNL_TYPE_U32 },
		[MAP646_A_MAP_IPV4] = {
			.type = MNL_TYPE_BINARY, .len = sizeof(struct in_addr)
		},
		[MAP646_A_MAP_IPV6] = {
			.type = MNL_TYPE_BINARY, .len = sizeof(struct in6_addr)
		},
	};
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	char v4[INET_ADDRSTRLEN] = "", v6[INET6_ADDRSTRLEN] = "";
	const struct nlattr *tb[MAP646_A_MAX + 1];
	const char *dev, *ev;

	if (nl_parse(nlh, GENL_HDRLEN, pol, MAP646_A_MAX, tb))
		return MNL_CB_ERROR;
	if (!tb[MAP646_A_IFNAME] || !tb[MAP646_A_MAP_COUNT] ||
	    g->cmd >= ARRAY_SIZE(events) || !events[g->cmd])
		return MNL_CB_OK;	/* not one this version knows */
	dev = mnl_attr_get_str(tb[MAP646_A_IFNAME]);
	if (nl_device() && strcmp(nl_device(), dev))
		return MNL_CB_OK;
	ev = events[g->cmd];
	if (tb[MAP646_A_MAP_IPV4] && tb[MAP646_A_MAP_IPV6]) {
		inet_ntop(AF_INET, mnl_attr_get_payload(tb[MAP646_A_MAP_IPV4]),
			  v4, sizeof(v4));
		inet_ntop(AF_INET6, mnl_attr_get_payload(tb[MAP646_A_MAP_IPV6]),
			  v6, sizeof(v6));
	}
	if (opt_json) {
		json_begin('{', NULL);
		json_str("event", ev);
		json_str("ifname", dev);
		if (*v4) {
			json_str("ipv4", v4);
			json_str("ipv6", v6);
		}
		json_u64("mappings", mnl_attr_get_u32(tb[MAP646_A_MAP_COUNT]));
		json_end('}');
	} else {
		printf("%s %s%s%s%s%s mappings %u\n", dev, ev, *v4 ? " " : "",
		       v4, *v6 ? " " : "", v6,
		       mnl_attr_get_u32(tb[MAP646_A_MAP_COUNT]));
	}
	fflush(stdout);
	return MNL_CB_OK;
}

int cmd_monitor(int argc, char **argv)
{
	if (argc)
		return bad_argc(argc, argv, 0);
	return nl_monitor(event_cb, NULL) ? CMD_FAILED : 0;
}
