/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MAP646_IPID_H
#define _MAP646_IPID_H

#include <linux/types.h>

u16 map646_ipv4_id(void);
void map646_ipid_init(void);

#endif /* _MAP646_IPID_H */
