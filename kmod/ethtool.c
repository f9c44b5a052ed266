// SPDX-License-Identifier: GPL-2.0
/*
 * The device's counters where operators already look: `ethtool -S`
 * (every counter of enum map646_stat, under the name map646ctl uses) and
 * `ethtool -i` (driver map646 and the module's version).
 */
#include <linux/netdevice.h>
#include <linux/string.h>
#include "device.h"
#include "ethtool.h"
#include "netlink.h"

/* The counters ethtool lists: every one after MAP646_STAT_PAD, in order. */
#define MAP646_STAT_FIRST (MAP646_STAT_PAD + 1)
#define MAP646_STAT_COUNT (__MAP646_STAT_LAST - MAP646_STAT_FIRST)

static void map646_get_drvinfo(struct net_device *dev,
			       struct ethtool_drvinfo *info)
{
	strscpy(info->driver, MAP646_GENL_NAME, sizeof(info->driver));
	strscpy(info->version, MAP646_VERSION, sizeof(info->version));
}

static int map646_get_sset_count(struct net_device *dev, int sset)
{
	return sset == ETH_SS_STATS ? MAP646_STAT_COUNT : -EOPNOTSUPP;
}

static void map646_get_strings(struct net_device *dev, u32 sset, u8 *data)
{
	const char *name;
	unsigned int i;

	if (sset != ETH_SS_STATS)
		return;
	for (i = 0; i < MAP646_STAT_COUNT; i++) {
		name = map646_stat_key(MAP646_STAT_FIRST + i);
		strscpy(data + i * ETH_GSTRING_LEN, name ?: "unnamed",
			ETH_GSTRING_LEN);
	}
}

/*
 * The counters since the device was created: like `ip -s link`, and
 * unlike `map646ctl stats`, they ignore MAP646_CMD_STATS_RESET.
 */
static void map646_get_ethtool_stats(struct net_device *dev,
				     struct ethtool_stats *stats, u64 *data)
{
	u64 sum[__MAP646_STAT_LAST];

	map646_dev_stats_read(netdev_priv(dev), sum);
	memcpy(data, sum + MAP646_STAT_FIRST, MAP646_STAT_COUNT * sizeof(*data));
}

const struct ethtool_ops map646_ethtool_ops = {
	.get_drvinfo = map646_get_drvinfo,
	.get_sset_count = map646_get_sset_count,
	.get_strings = map646_get_strings,
	.get_ethtool_stats = map646_get_ethtool_stats,
};
