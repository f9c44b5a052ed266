/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MAP646_HOOK_H
#define _MAP646_HOOK_H

#include <linux/types.h>

struct net_device;

void map646_hook_init(struct net_device *dev);
int map646_hook_set(struct net_device *dev, bool on);

#endif /* _MAP646_HOOK_H */
