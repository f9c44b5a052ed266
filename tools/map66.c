// SPDX-License-Identifier: GPL-2.0
/*
 * map66 mappings, one global IPv6 address <-> one internal IPv6 address
 * (the original map646's map66-static): map66 add|del|show.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/genetlink.h>
#include <linux/map646.h>

#include "map646ctl.h"
#include "nl.h"

const char *map66_refusal(const struct mapping *m, char *buf, size_t size)
{
	const struct in6_addr *a = &m->v6;
	char text[INET6_ADDRSTRLEN];
	const char *why;

	why = untranslatable6(a);
	if (!why) {
		a = &m->internal;
		why = untranslatable6(a);
	}
	if (why) {
		snprintf(buf, size, "%s cannot be mapped (%s)",
			 inet_ntop(AF_INET6, a, text, sizeof(text)), why);
		return buf;
	}
	if (!memcmp(&m->v6, &m->internal, sizeof(m->v6)))
		return "global and internal address are the same";
	return NULL;
}

/* map66 add GLOBAL INTERNAL */
int cmd_map66_add(int argc, char **argv)
{
	struct mapping m = { .is66 = true };
	char buf[INET6_ADDRSTRLEN + 64];
	struct nlmsghdr *nlh;
	const char *why;

	if (argc != 2)
		return bad_argc(argc, argv, 2);
	if (inet_pton(AF_INET6, argv[0], &m.v6) != 1)
		return bad_usage("'%s' is not an IPv6 address", argv[0]);
	if (inet_pton(AF_INET6, argv[1], &m.internal) != 1)
		return bad_usage("'%s' is not an IPv6 address", argv[1]);
	/* what config check refuses, refused here too: same words */
	why = map66_refusal(&m, buf, sizeof(buf));
	if (why) {
		failed("%s", why);
		return CMD_FAILED;
	}
	if (nl_open())
		return CMD_FAILED;
	nlh = nl_request(MAP646_CMD_MAP66_ADD);
	mapping_put(nlh, &m, MAP_WITH_V4 | MAP_WITH_V6);
	return nl_do(nlh, NULL, NULL) ? CMD_FAILED : 0;
}

/* map66 del GLOBAL|INTERNAL */
int cmd_map66_del(int argc, char **argv)
{
	struct nlmsghdr *nlh;
	struct in6_addr a;

	if (argc != 1)
		return bad_argc(argc, argv, 1);
	if (inet_pton(AF_INET6, argv[0], &a) != 1)
		return bad_usage("'%s' is not an IPv6 address", argv[0]);
	if (nl_open())
		return CMD_FAILED;
	nlh = nl_request(MAP646_CMD_MAP66_DEL);
	mnl_attr_put(nlh, MAP646_A_MAP66_GLOBAL, sizeof(a), &a);
	if (!nl_do_quiet(nlh))
		return 0;
	/* not a global address: an internal one, or the kernel says why */
	nlh = nl_request(MAP646_CMD_MAP66_DEL);
	mnl_attr_put(nlh, MAP646_A_MAP66_INTERNAL, sizeof(a), &a);
	return nl_do(nlh, NULL, NULL) ? CMD_FAILED : 0;
}

static int map66_cb(const struct nlmsghdr *nlh, void *data)
{
	static const struct nl_policy pol[MAP646_A_MAX + 1] = {
		[MAP646_A_MAP66_GLOBAL] = {
			.type = MNL_TYPE_BINARY, .len = sizeof(struct in6_addr)
		},
		[MAP646_A_MAP66_INTERNAL] = {
			.type = MNL_TYPE_BINARY, .len = sizeof(struct in6_addr)
		},
		[MAP646_A_MAP_STATS] = { .type = MNL_TYPE_NESTED },
	};
	const struct nlattr *tb[MAP646_A_MAX + 1];
	struct mapping m = { .is66 = true };

	if (nl_parse(nlh, GENL_HDRLEN, pol, MAP646_A_MAX, tb))
		return MNL_CB_ERROR;
	if (!tb[MAP646_A_MAP66_GLOBAL] || !tb[MAP646_A_MAP66_INTERNAL])
		return nl_bad_reply("map66 mapping without its addresses");
	memcpy(&m.v6, mnl_attr_get_payload(tb[MAP646_A_MAP66_GLOBAL]),
	       sizeof(m.v6));
	memcpy(&m.internal, mnl_attr_get_payload(tb[MAP646_A_MAP66_INTERNAL]),
	       sizeof(m.internal));
	return maps_push_counted(data, &m, tb[MAP646_A_MAP_STATS]);
}

int maps66_dump(struct maps *m)
{
	return maps_dump_cmd(MAP646_CMD_MAP66_GET, map66_cb, m);
}

/* map66 show [ADDRESS]: all, or the one holding ADDRESS. */
int cmd_map66_show(int argc, char **argv)
{
	struct maps t = { 0 }, one = { 0 };
	struct in6_addr a;
	size_t i;
	int ret = CMD_FAILED;

	if (argc > 1)
		return bad_argc(argc, argv, 1);
	if (argc && inet_pton(AF_INET6, argv[0], &a) != 1)
		return bad_usage("'%s' is not an IPv6 address", argv[0]);
	if (maps66_dump(&t))
		goto out;
	ret = 0;
	if (!argc) {
		maps_print(&t);
		goto out;
	}
	for (i = 0; i < t.n; i++)
		if (!memcmp(&t.v[i].v6, &a, sizeof(a)) ||
		    !memcmp(&t.v[i].internal, &a, sizeof(a)))
			maps_push(&one, &t.v[i]);
	if (one.n)
		maps_print(&one);
	else
		failed("no map66 mapping holds %s", argv[0]);
	ret = one.n ? 0 : CMD_FAILED;
	free(one.v);
out:
	free(t.v);
	return ret;
}
