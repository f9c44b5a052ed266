/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels map646 builds for lives here, so the
 * rest of the code reads as if written for one kernel.
 */
#ifndef _MAP646_COMPAT_H
#define _MAP646_COMPAT_H

#include <linux/in_route.h>
#include <linux/ip.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <net/flow.h>
#include <net/inet_dscp.h>

/* 6.11 moved NETIF_F_LLTX out of the feature bits into dev->lltx. */
static inline void map646_compat_set_lltx(struct net_device *dev)
{
#ifdef NETIF_F_LLTX
	dev->features |= NETIF_F_LLTX;
#else
	dev->lltx = true;
#endif
}

/*
 * A device that never changes namespace: a feature bit until 6.12 moved
 * it to dev->netns_local, renamed dev->netns_immutable later (Kbuild
 * probes the header for it).
 */
static inline void map646_compat_set_netns_local(struct net_device *dev)
{
#if defined(NETIF_F_NETNS_LOCAL)
	dev->features |= NETIF_F_NETNS_LOCAL;
#elif defined(MAP646_HAVE_NETNS_IMMUTABLE)
	dev->netns_immutable = true;
#else
	dev->netns_local = true;
#endif
}

/*
 * Typed allocation, kzalloc_obj(*ptr, gfp): 7.x has it (and its checkpatch
 * asks for it); older kernels get the plain equivalent.
 */
#ifndef kzalloc_obj
#define kzalloc_obj(obj, gfp) kzalloc(sizeof(obj), gfp)
#endif

/*
 * What an IPv4 route lookup keys on from the packet's TOS byte: the DSCP in
 * kernels with flowi4_dscp (7.x), the TOS bits in older ones.
 */
static inline void map646_compat_flowi4_tos(struct flowi4 *fl4, u8 tos)
{
#ifdef flowi4_dscp
	fl4->flowi4_dscp = inet_dsfield_to_dscp(tos);
#else
	fl4->flowi4_tos = RT_TOS(tos);
#endif
}

#endif /* _MAP646_COMPAT_H */
