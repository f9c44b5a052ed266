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

/* The counters ethtool lists: every one after MAP646_STAT_PAD, in order. */
#define MAP646_STAT_FIRST (MAP646_STAT_PAD + 1)
#define MAP646_STAT_COUNT (__MAP646_STAT_LAST - MAP646_STAT_FIRST)

const struct map646_stat_name map646_stat_names[__MAP646_STAT_LAST] = {
	[MAP646_STAT_XLAT_4TO6] = { "xlat_4to6", "translated 4to6" },
	[MAP646_STAT_XLAT_6TO4] = { "xlat_6to4", "translated 6to4" },
	[MAP646_STAT_DROP_NO_PREFIX] = { "drop_no_prefix", "no prefix" },
	[MAP646_STAT_DROP_NO_MAPPING_V4] = {
		"drop_no_mapping_v4", "IPv4 destination not mapped" },
	[MAP646_STAT_DROP_NO_MAPPING_V6] = {
		"drop_no_mapping_v6", "IPv6 source not mapped" },
	[MAP646_STAT_DROP_NOT_IN_PREFIX] = {
		"drop_not_in_prefix", "IPv6 destination outside prefix" },
	[MAP646_STAT_DROP_MALFORMED] = { "drop_malformed", "malformed" },
	[MAP646_STAT_DROP_FRAGMENT] = { "drop_fragment", "fragmented ICMP" },
	[MAP646_STAT_DROP_EXTHDR] = {
		"drop_exthdr", "extension header in a fragment" },
	[MAP646_STAT_DROP_ICMP] = { "drop_icmp", "untranslatable ICMP" },
	[MAP646_STAT_DROP_UDP_ZERO_CSUM] = {
		"drop_udp_zero_csum", "UDP without checksum" },
	[MAP646_STAT_DROP_PROTOCOL] = { "drop_protocol", "protocol" },
	[MAP646_STAT_DROP_NOMEM] = { "drop_nomem", "out of memory" },
	[MAP646_STAT_DROP_RX] = {
		"drop_rx", "translated packet refused by the stack" },
	[MAP646_STAT_DROP_SPOOFED] = {
		"drop_spoofed", "mapped IPv4 source from outside" },
	[MAP646_STAT_DROP_NONGLOBAL] = {
		"drop_nonglobal", "non-global IPv4 with well-known prefix" },
	[MAP646_STAT_DROP_SRC_ROUTE] = {
		"drop_src_route", "IPv4 source route" },
	[MAP646_STAT_DROP_ROUTING] = {
		"drop_routing", "IPv6 routing header" },
	[MAP646_STAT_DROP_TOO_BIG] = {
		"drop_too_big", "too big for the next hop" },
	[MAP646_STAT_FRAGMENTS] = { "fragments", "IPv6 fragments made" },
};

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
		name = map646_stat_names[MAP646_STAT_FIRST + i].name;
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
