/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MAP646_NETLINK_H
#define _MAP646_NETLINK_H

int map646_genl_init(void);
void map646_genl_uninit(void);
const char *map646_stat_key(unsigned int stat);

#endif /* _MAP646_NETLINK_H */
