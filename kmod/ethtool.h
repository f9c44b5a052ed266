/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MAP646_ETHTOOL_H
#define _MAP646_ETHTOOL_H

#include <linux/ethtool.h>
#include <linux/map646.h>

/**
 * struct map646_stat_name - how a device counter is named
 * @name: its name in `ethtool -S` (the name map646ctl gives it too)
 * @desc: what it counts, for the debug log of a drop
 */
struct map646_stat_name {
	const char *name;
	const char *desc;
};

extern const struct map646_stat_name map646_stat_names[__MAP646_STAT_LAST];
extern const struct ethtool_ops map646_ethtool_ops;

#endif /* _MAP646_ETHTOOL_H */
