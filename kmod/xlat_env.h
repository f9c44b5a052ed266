/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few kernel definitions the pure translation code (rfc6052.c, xlat.c)
 * uses, and the module's source of IPv4 identifications (ipid.c). In the
 * module they come from the kernel; in the host unit tests and fuzzers the
 * same names come from a small userspace shim, so the very same source
 * files are tested outside the kernel.
 */
#ifndef _MAP646_XLAT_ENV_H
#define _MAP646_XLAT_ENV_H

#ifdef __KERNEL__
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/in6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/string.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/dsfield.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>
#include "ipid.h"
#else
#include "host_env.h"
#endif

#endif /* _MAP646_XLAT_ENV_H */
