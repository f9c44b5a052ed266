// SPDX-License-Identifier: GPL-2.0
/*
 * IPv4-embedded IPv6 addresses (RFC 6052 section 2.2): the IPv4 address
 * follows the prefix, skipping bits 64-71 (the "u" octet, always zero).
 */
#include "rfc6052.h"

#define U_OCTET 8

/**
 * map646_prefix_check() - validate a translation prefix
 * @addr: prefix
 * @len: prefix length in bits
 *
 * Return: MAP646_PREFIX_OK if @addr/@len is a usable RFC 6052 prefix, else
 * what is wrong with it.
 */
enum map646_prefix_err map646_prefix_check(const struct in6_addr *addr, u8 len)
{
	unsigned int i;

	switch (len) {
	case 32: case 40: case 48: case 56: case 64: case 96:
		break;
	default:
		return MAP646_PREFIX_BAD_LEN;
	}
	for (i = len / 8; i < 16; i++)
		if (addr->s6_addr[i])
			return MAP646_PREFIX_HOST_BITS;
	if (addr->s6_addr[U_OCTET])
		return MAP646_PREFIX_U_OCTET;
	return MAP646_PREFIX_OK;
}

/**
 * map646_prefix_embed() - build prefix + IPv4 address
 * @pfx: a valid, non-empty prefix
 * @v4: IPv4 address
 * @out: resulting IPv6 address
 */
void map646_prefix_embed(const struct map646_prefix *pfx, __be32 v4,
			 struct in6_addr *out)
{
	const u8 *src = (const u8 *)&v4;
	unsigned int pos = pfx->len / 8;
	unsigned int i;

	*out = pfx->addr;
	/* /96 and /32: the address is one aligned word (the usual prefixes) */
	if (pfx->len == 96 || pfx->len == 32) {
		out->s6_addr32[pos / 4] = v4;
		return;
	}
	for (i = 0; i < 4; i++, pos++) {
		if (pos == U_OCTET)
			pos++;
		out->s6_addr[pos] = src[i];
	}
}

/**
 * map646_prefix_extract() - recover the IPv4 address embedded in @addr
 * @pfx: a valid, non-empty prefix
 * @addr: IPv6 address
 * @v4: the embedded IPv4 address, when @addr is inside @pfx
 *
 * The u octet and the suffix are ignored, as RFC 6052 asks of receivers.
 *
 * Return: true if @addr is inside @pfx.
 */
bool map646_prefix_extract(const struct map646_prefix *pfx,
			   const struct in6_addr *addr, __be32 *v4)
{
	unsigned int pos = pfx->len / 8;
	u8 *dst = (u8 *)v4;
	unsigned int i;

	/* word compares (64 bits at a time where the machine allows) */
	if (!ipv6_prefix_equal(addr, &pfx->addr, pfx->len))
		return false;
	if (pfx->len == 96 || pfx->len == 32) {
		*v4 = addr->s6_addr32[pos / 4];
		return true;
	}
	for (i = 0; i < 4; i++, pos++) {
		if (pos == U_OCTET)
			pos++;
		dst[i] = addr->s6_addr[pos];
	}
	return true;
}
