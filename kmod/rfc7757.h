/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MAP646_RFC7757_H
#define _MAP646_RFC7757_H

#include "xlat_env.h"

/**
 * struct map646_eam - an explicit address mapping of two blocks (RFC 7757)
 * @v6: IPv6 prefix; bits past @len6 are zero
 * @v4: IPv4 prefix; bits past @len4 are zero
 * @len4: IPv4 prefix length, 0..32
 * @len6: IPv6 prefix length, 0..128; 128 - @len6 >= 32 - @len4
 *
 * Address N of the IPv4 block maps to address N of the IPv6 block: the
 * IPv4 suffix follows the IPv6 prefix. When the IPv6 suffix is longer, its
 * remaining bits are zero, and an IPv6 address with any of them set is not
 * in the block: the mapping stays one-to-one.
 */
struct map646_eam {
	struct in6_addr v6;
	__be32 v4;
	u8 len4;
	u8 len6;
};

/**
 * enum map646_eam_err - what map646_eam_check() found
 * @MAP646_EAM_OK: usable
 * @MAP646_EAM_BAD_LEN: a length out of range
 * @MAP646_EAM_SUFFIX: the IPv4 suffix is longer than the IPv6 one
 * @MAP646_EAM_HOST_BITS4: IPv4 bits set past the length
 * @MAP646_EAM_HOST_BITS6: IPv6 bits set past the length
 */
enum map646_eam_err {
	MAP646_EAM_OK,
	MAP646_EAM_BAD_LEN,
	MAP646_EAM_SUFFIX,
	MAP646_EAM_HOST_BITS4,
	MAP646_EAM_HOST_BITS6,
};

enum map646_eam_err map646_eam_check(const struct map646_eam *m);
bool map646_eam_has4(const struct map646_eam *m, __be32 v4);
void map646_eam_4to6(const struct map646_eam *m, __be32 v4,
		     struct in6_addr *v6);
bool map646_eam_6to4(const struct map646_eam *m, const struct in6_addr *v6,
		     __be32 *v4);
void map646_prefix6_mask(const struct in6_addr *a, unsigned int len,
			 struct in6_addr *out);
__be32 map646_prefix4_mask(__be32 a, unsigned int len);

#endif /* _MAP646_RFC7757_H */
