/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the translation sources, not by their callers. */
#ifndef _MAP646_XLAT_INT_H
#define _MAP646_XLAT_INT_H

#include "xlat_env.h"

__sum16 map646_csum_update(__sum16 check, __wsum sub, __wsum add);
__wsum map646_icmp_type_sum(u8 type, u8 code);
__wsum map646_icmp6_pseudo_sum(const struct in6_addr *saddr,
			       const struct in6_addr *daddr, unsigned int len);

#endif /* _MAP646_XLAT_INT_H */
