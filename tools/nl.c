// SPDX-License-Identifier: GPL-2.0
/*
 * libmnl glue: netlink sockets, requests, acks with extended ack messages,
 * restartable dumps, the map646 family and the choice of device.
 */

#include <err.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/map646.h>
#include <linux/rtnetlink.h>

#include "nl.h"

/*
 * Netlink sizes dump messages after the reader's buffer, up to 32 KiB;
 * this is also >= MNL_SOCKET_BUFFER_SIZE.
 */
#define RECV_SIZE	32768
#define DUMP_TRIES	5
#define MAP646_KIND	"map646"	/* ip link add NAME type map646 */

struct nl_sock {
	struct mnl_socket *mnl;
	int bus;
	unsigned int portid;
	unsigned int seq;
};

struct links {
	struct nl_link *v;
	unsigned int n;
};

static struct nl_sock genl;	/* talks to the map646 family */
static uint16_t family;		/* its id */
static uint32_t mcgrp_table;	/* its MAP646_GENL_MCGRP_TABLE group */
static const char *dev_name;	/* -d DEV */
static uint32_t dev_index;	/* otherwise the only map646 device */
static char req[NL_REQ_SIZE] __attribute__((aligned(8)));	/* being built */
static char detail[256];	/* why the last request failed, if known */
static long err_offset = -1;	/* where in it, if the kernel said */

int nl_bad_reply(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	errno = EBADMSG;
	return MNL_CB_ERROR;
}

static void nl_perror(int err)
{
	if (detail[0])
		warnx("%s: %s", strerror(-err), detail);
	else
		warnx("%s", strerror(-err));
}

struct parse_ctx {
	const struct nl_policy *pol;
	unsigned int max;
	const struct nlattr **tb;
};

static int parse_attr(const struct nlattr *attr, void *data)
{
	const struct parse_ctx *ctx = data;
	unsigned int type = mnl_attr_get_type(attr);
	const struct nl_policy *p;
	int ret;

	if (type > ctx->max || ctx->pol[type].type == MNL_TYPE_UNSPEC)
		return MNL_CB_OK;
	p = &ctx->pol[type];
	if (p->len)
		ret = mnl_attr_validate2(attr, p->type, p->len);
	else
		ret = mnl_attr_validate(attr, p->type);
	if (ret < 0)
		return nl_bad_reply("malformed attribute %u in reply", type);
	ctx->tb[type] = attr;
	return MNL_CB_OK;
}

int nl_parse(const struct nlmsghdr *nlh, size_t offset,
	     const struct nl_policy *pol, unsigned int max,
	     const struct nlattr **tb)
{
	struct parse_ctx ctx = { pol, max, tb };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (mnl_nlmsg_get_payload_len(nlh) < offset)
		return nl_bad_reply("truncated reply");
	if (mnl_attr_parse(nlh, offset, parse_attr, &ctx) == MNL_CB_ERROR)
		return MNL_CB_ERROR;
	return 0;
}

/* A negative @error in an ack or done message; keep its extack message. */
static int ack_error(const struct nlmsghdr *nlh, size_t offset, int error)
{
	const struct nlattr *attr;

	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
		mnl_attr_for_each(attr, nlh, offset) {
			if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
			    !mnl_attr_validate(attr, MNL_TYPE_NUL_STRING))
				snprintf(detail, sizeof(detail), "%s",
					 mnl_attr_get_str(attr));
			if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_OFFS &&
			    !mnl_attr_validate(attr, MNL_TYPE_U32))
				err_offset = mnl_attr_get_u32(attr);
		}
	errno = -error;
	return MNL_CB_ERROR;
}

static int error_cb(const struct nlmsghdr *nlh, void *data __maybe_unused)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	size_t offset = sizeof(*err);

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*err))
		return nl_bad_reply("truncated ack");
	if (!err->error)
		return MNL_CB_STOP;
	/* Without NETLINK_CAP_ACK the request comes back before the TLVs. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		offset += mnl_nlmsg_get_payload_len(&err->msg);
	return ack_error(nlh, offset, err->error);
}

static int done_cb(const struct nlmsghdr *nlh, void *data __maybe_unused)
{
	const int *error = mnl_nlmsg_get_payload(nlh);

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*error) || *error >= 0)
		return MNL_CB_STOP;
	return ack_error(nlh, sizeof(*error), *error);
}

static mnl_cb_t ctl_cb[NLMSG_MIN_TYPE] = {
	[NLMSG_ERROR] = error_cb,
	[NLMSG_DONE] = done_cb,
};

static void sock_close(struct nl_sock *s)
{
	if (s->mnl)
		mnl_socket_close(s->mnl);
	s->mnl = NULL;
}

static int sock_open(struct nl_sock *s, int bus)
{
	int one = 1;
	int err;

	s->bus = bus;
	s->mnl = mnl_socket_open(bus);
	if (!s->mnl)
		return -errno;
	/* Best effort: without them, errors only lose their detail. */
	mnl_socket_setsockopt(s->mnl, NETLINK_CAP_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(s->mnl, NETLINK_EXT_ACK, &one, sizeof(one));
	if (mnl_socket_bind(s->mnl, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		sock_close(s);
		return err;
	}
	s->portid = mnl_socket_get_portid(s->mnl);
	return 0;
}

/* Send @nlh, run replies through @cb until ack or done: 0 or -errno. */
static int talk(struct nl_sock *s, struct nlmsghdr *nlh, mnl_cb_t cb,
		void *data)
{
	static char buf[RECV_SIZE] __attribute__((aligned(8)));
	ssize_t len;
	int ret;

	nlh->nlmsg_seq = ++s->seq;
	detail[0] = '\0';
	err_offset = -1;
	if (mnl_socket_sendto(s->mnl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		len = mnl_socket_recvfrom(s->mnl, buf, sizeof(buf));
		if (len < 0)
			return -errno;
		ret = mnl_cb_run2(buf, len, nlh->nlmsg_seq, s->portid, cb, data,
				  ctl_cb, MNL_ARRAY_SIZE(ctl_cb));
	} while (ret > MNL_CB_STOP);
	return ret < 0 ? -errno : 0;
}

/* libmnl fails a dump with EINTR when it sees NLM_F_DUMP_INTR. */
static int dump(struct nl_sock *s, struct nlmsghdr *nlh, mnl_cb_t cb,
		void *data, void (*reset)(void *data))
{
	int tries, err;

	nlh->nlmsg_flags |= NLM_F_DUMP;
	for (tries = 1;; tries++) {
		reset(data);
		err = talk(s, nlh, cb, data);
		if (err != -EINTR)
			return err;
		if (tries == DUMP_TRIES)
			break;
		/* The rest of the stale dump goes away with its socket. */
		sock_close(s);
		err = sock_open(s, s->bus);
		if (err)
			return err;
	}
	snprintf(detail, sizeof(detail),
		 "dump interrupted %d times in a row by concurrent changes",
		 DUMP_TRIES);
	return -EAGAIN;
}

static struct nlmsghdr *genl_header(uint16_t type, uint8_t cmd,
				    uint8_t version)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	struct genlmsghdr *hdr;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	hdr = mnl_nlmsg_put_extra_header(nlh, sizeof(*hdr));
	hdr->cmd = cmd;
	hdr->version = version;
	return nlh;
}

/* One group of CTRL_ATTR_MCAST_GROUPS: remember the table group's id. */
static void mcast_group(const struct nlattr *grp)
{
	const struct nlattr *a, *name = NULL, *id = NULL;

	mnl_attr_for_each_nested(a, grp) {
		if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_NAME &&
		    !mnl_attr_validate(a, MNL_TYPE_NUL_STRING))
			name = a;
		if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_ID &&
		    !mnl_attr_validate(a, MNL_TYPE_U32))
			id = a;
	}
	if (name && id && !strcmp(mnl_attr_get_str(name), MAP646_GENL_MCGRP_TABLE))
		mcgrp_table = mnl_attr_get_u32(id);
}

static int family_cb(const struct nlmsghdr *nlh, void *data __maybe_unused)
{
	static const struct nl_policy pol[CTRL_ATTR_MAX + 1] = {
		[CTRL_ATTR_FAMILY_ID] = { .type = MNL_TYPE_U16 },
		[CTRL_ATTR_MCAST_GROUPS] = { .type = MNL_TYPE_NESTED },
	};
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	const struct nlattr *grp;

	if (nl_parse(nlh, GENL_HDRLEN, pol, CTRL_ATTR_MAX, tb))
		return MNL_CB_ERROR;
	if (!tb[CTRL_ATTR_FAMILY_ID])
		return nl_bad_reply("family without an id");
	family = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (tb[CTRL_ATTR_MCAST_GROUPS])
		mnl_attr_for_each_nested(grp, tb[CTRL_ATTR_MCAST_GROUPS])
			mcast_group(grp);
	return MNL_CB_OK;
}

static int resolve_family(void)
{
	struct nlmsghdr *nlh = genl_header(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1);

	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, MAP646_GENL_NAME);
	nlh->nlmsg_flags |= NLM_F_ACK;
	return talk(&genl, nlh, family_cb, NULL);
}

static bool is_map646(const struct nlattr *linkinfo)
{
	const struct nlattr *attr;

	mnl_attr_for_each_nested(attr, linkinfo)
		if (mnl_attr_get_type(attr) == IFLA_INFO_KIND)
			return !mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) &&
			       !strcmp(mnl_attr_get_str(attr), MAP646_KIND);
	return false;
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	static const struct nl_policy pol[IFLA_MAX + 1] = {
		[IFLA_IFNAME] = { .type = MNL_TYPE_NUL_STRING },
		[IFLA_LINKINFO] = { .type = MNL_TYPE_NESTED },
	};
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFLA_MAX + 1];
	struct links *links = data;
	struct nl_link *link;

	if (nl_parse(nlh, sizeof(*ifi), pol, IFLA_MAX, tb))
		return MNL_CB_ERROR;
	if (!tb[IFLA_IFNAME] || !tb[IFLA_LINKINFO] ||
	    !is_map646(tb[IFLA_LINKINFO]))
		return MNL_CB_OK;
	link = reallocarray(links->v, links->n + 1, sizeof(*link));
	if (!link)
		return MNL_CB_ERROR;
	links->v = link;
	link += links->n++;
	link->index = ifi->ifi_index;
	snprintf(link->name, sizeof(link->name), "%s",
		 mnl_attr_get_str(tb[IFLA_IFNAME]));
	return MNL_CB_OK;
}

static void links_reset(void *data)
{
	((struct links *)data)->n = 0;
}

static int list_links(struct links *links)
{
	struct nl_sock rtnl = { 0 };
	struct nlmsghdr *nlh;
	int err;

	err = sock_open(&rtnl, NETLINK_ROUTE);
	if (err)
		return err;
	nlh = mnl_nlmsg_put_header(req);
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg));
	err = dump(&rtnl, nlh, link_cb, links, links_reset);
	sock_close(&rtnl);
	return err;
}

int nl_links(struct nl_link **v, unsigned int *n)
{
	struct links links = { 0 };
	int err;

	err = list_links(&links);
	if (err) {
		nl_perror(err);
		free(links.v);
		return -1;
	}
	*v = links.v;
	*n = links.n;
	return 0;
}

/* No -d: use the only map646 device in this network namespace. */
static int find_device(void)
{
	struct links links = { 0 };
	unsigned int i;
	int err;

	err = list_links(&links);
	if (err) {
		nl_perror(err);
	} else if (!links.n) {
		warnx("no map646 device; create one with: ip link add map646 type map646");
		err = -1;
	} else if (links.n == 1) {
		dev_index = links.v[0].index;
	} else {
		warnx("several map646 devices, choose one with -d DEV:");
		for (i = 0; i < links.n; i++)
			fprintf(stderr, "  %s\n", links.v[i].name);
		err = -1;
	}
	free(links.v);
	return err ? -1 : 0;
}

void nl_set_device(const char *ifname)
{
	dev_name = ifname;
}

static int open_family(void)
{
	int err;

	err = sock_open(&genl, NETLINK_GENERIC);
	if (!err)
		err = resolve_family();
	if (err == -ENOENT) {
		warnx("map646 module not loaded? generic netlink family '%s' not found",
		      MAP646_GENL_NAME);
		sock_close(&genl);
		return -1;
	}
	if (err) {
		nl_perror(err);
		sock_close(&genl);
		return -1;
	}
	return 0;
}

int nl_open(void)
{
	if (genl.mnl)
		return 0;
	if (open_family())
		return -1;
	if (!dev_name && find_device()) {
		sock_close(&genl);
		return -1;
	}
	return 0;
}

int nl_monitor(mnl_cb_t cb, void *data)
{
	static char buf[RECV_SIZE] __attribute__((aligned(8)));
	ssize_t len;

	if (!genl.mnl && open_family())
		return -1;
	if (!mcgrp_table) {
		warnx("the map646 module has no '%s' notifications (too old?)",
		      MAP646_GENL_MCGRP_TABLE);
		return -1;
	}
	if (mnl_socket_setsockopt(genl.mnl, NETLINK_ADD_MEMBERSHIP,
				  &mcgrp_table, sizeof(mcgrp_table)) < 0) {
		nl_perror(-errno);
		return -1;
	}
	for (;;) {
		len = mnl_socket_recvfrom(genl.mnl, buf, sizeof(buf));
		if (len < 0) {
			nl_perror(-errno);
			return -1;
		}
		if (mnl_cb_run(buf, len, 0, 0, cb, data) == MNL_CB_ERROR) {
			nl_perror(-errno);
			return -1;
		}
	}
}

const char *nl_device(void)
{
	return dev_name;
}

long nl_error_offset(void)
{
	return err_offset;
}

struct nlmsghdr *nl_request(uint8_t cmd)
{
	struct nlmsghdr *nlh = genl_header(family, cmd, MAP646_GENL_VERSION);

	if (dev_name)
		mnl_attr_put_strz(nlh, MAP646_A_IFNAME, dev_name);
	else
		mnl_attr_put_u32(nlh, MAP646_A_IFINDEX, dev_index);
	return nlh;
}

int nl_do(struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	int err;

	nlh->nlmsg_flags |= NLM_F_ACK;
	err = talk(&genl, nlh, cb, data);
	if (err)
		nl_perror(err);
	return err ? -1 : 0;
}

int nl_do_quiet(struct nlmsghdr *nlh)
{
	nlh->nlmsg_flags |= NLM_F_ACK;
	return talk(&genl, nlh, NULL, NULL) ? -1 : 0;
}

int nl_dump(struct nlmsghdr *nlh, mnl_cb_t cb, void *data,
	    void (*reset)(void *data))
{
	int err;

	err = dump(&genl, nlh, cb, data, reset);
	if (err)
		nl_perror(err);
	return err ? -1 : 0;
}
