/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libmnl glue for map646ctl: talking to the map646 generic netlink family
 * about one device.
 */

#ifndef MAP646CTL_NL_H
#define MAP646CTL_NL_H

#include <stddef.h>
#include <stdint.h>
#include <net/if.h>
#include <libmnl/libmnl.h>

#define __maybe_unused __attribute__((unused))

/* How an attribute must look; MNL_TYPE_UNSPEC: ignore it. */
struct nl_policy {
	enum mnl_attr_data_type type;
	size_t len;		/* exact payload length, 0: the type's own */
};

/*
 * Room for one request: an attribute's length is 16 bits, so a batch
 * (one MAP646_A_MAPS nest) stays below 64 KiB: about 2000 mappings.
 */
#define NL_REQ_SIZE	65535

/* A map646 device of this network namespace. */
struct nl_link {
	uint32_t index;
	char name[IFNAMSIZ];
};

/*
 * Every map646 device of this network namespace, into a new array @v
 * (free() it) of @n. Reports its errors; 0 or -1.
 */
int nl_links(struct nl_link **v, unsigned int *n);

/* Talk about device @ifname rather than the only map646 device there is. */
void nl_set_device(const char *ifname);

/*
 * Resolve the family and the device (once: later calls return at once).
 * Reports its errors; 0 or -1.
 */
int nl_open(void);

/*
 * Offset in the last failed request of the attribute the kernel blamed
 * (NLMSGERR_ATTR_OFFS), or -1.
 */
long nl_error_offset(void);

/* A request for @cmd on the device, ready for more attributes. */
struct nlmsghdr *nl_request(uint8_t cmd);

/*
 * Send @nlh and feed each reply message to @cb (may be NULL) until the
 * kernel acks (nl_do) or the dump ends (nl_dump). An interrupted dump is
 * started over, calling @reset first each time. Report their errors and
 * return 0 or -1.
 */
int nl_do(struct nlmsghdr *nlh, mnl_cb_t cb, void *data);
int nl_dump(struct nlmsghdr *nlh, mnl_cb_t cb, void *data,
	    void (*reset)(void *data));
/*
 * Join the MAP646_GENL_MCGRP_TABLE group and feed every notification to
 * @cb until an error (reported): returns -1.
 */
int nl_monitor(mnl_cb_t cb, void *data);

/* The -d DEV name, or NULL. */
const char *nl_device(void);

/* nl_do() without a callback, and without reporting a failure. */
int nl_do_quiet(struct nlmsghdr *nlh);

/*
 * Fill @tb[0..@max] with the attributes of @nlh past @offset bytes of
 * payload, checked against @pol. For use in callbacks: 0 or MNL_CB_ERROR.
 */
int nl_parse(const struct nlmsghdr *nlh, size_t offset,
	     const struct nl_policy *pol, unsigned int max,
	     const struct nlattr **tb);

/* Fail a callback because of a malformed reply. Returns MNL_CB_ERROR. */
int nl_bad_reply(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* MAP646CTL_NL_H */
