/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A mapping table of one entry for the host builds of the translation
 * core: a struct map646_xlat_ctx's table points at it.
 */
#ifndef _MAP646_ONE_MAPPING_H
#define _MAP646_ONE_MAPPING_H

#include <string.h>
#include "xlat.h"

struct one_mapping {
	uint8_t v4[4];
	struct in6_addr v6;
};

static inline bool one_map4(const void *table, __be32 a, struct in6_addr *v6)
{
	const struct one_mapping *m = table;

	if (memcmp(&a, m->v4, 4))
		return false;
	*v6 = m->v6;
	return true;
}

static inline bool one_map6(const void *table, const struct in6_addr *v6,
			    __be32 *a)
{
	const struct one_mapping *m = table;

	if (memcmp(v6, &m->v6, 16))
		return false;
	memcpy(a, m->v4, 4);
	return true;
}

#endif /* _MAP646_ONE_MAPPING_H */
