/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MAP646_RFC6052_H
#define _MAP646_RFC6052_H

#include "xlat_env.h"

/**
 * struct map646_prefix - an RFC 6052 translation prefix
 * @addr: prefix bits; bits past @len are zero
 * @len: 32, 40, 48, 56, 64 or 96; 0 means "no prefix"
 */
struct map646_prefix {
	struct in6_addr addr;
	u8 len;
};

/**
 * enum map646_prefix_err - what map646_prefix_check() found
 * @MAP646_PREFIX_OK: usable
 * @MAP646_PREFIX_BAD_LEN: length not one of 32, 40, 48, 56, 64, 96
 * @MAP646_PREFIX_HOST_BITS: bits set past the length
 * @MAP646_PREFIX_U_OCTET: bits 64-71 set
 */
enum map646_prefix_err {
	MAP646_PREFIX_OK,
	MAP646_PREFIX_BAD_LEN,
	MAP646_PREFIX_HOST_BITS,
	MAP646_PREFIX_U_OCTET,
};

enum map646_prefix_err map646_prefix_check(const struct in6_addr *addr, u8 len);
void map646_prefix_embed(const struct map646_prefix *pfx, __be32 v4,
			 struct in6_addr *out);
bool map646_prefix_extract(const struct map646_prefix *pfx,
			   const struct in6_addr *addr, __be32 *v4);

#endif /* _MAP646_RFC6052_H */
