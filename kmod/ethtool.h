/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MAP646_ETHTOOL_H
#define _MAP646_ETHTOOL_H

#include <linux/ethtool.h>

extern const struct ethtool_ops map646_ethtool_ops;

#endif /* _MAP646_ETHTOOL_H */
