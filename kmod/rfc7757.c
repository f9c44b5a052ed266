// SPDX-License-Identifier: GPL-2.0
/*
 * Explicit address mappings of whole blocks (RFC 7757 section 3.2): the
 * bits after an IPv4 prefix are copied to the bits after an IPv6 prefix,
 * and back. Pure functions: the module and the host tests build them.
 */
#include "rfc7757.h"

/* An IPv6 address as two 64-bit halves, most significant first. */
struct u128 {
	u64 hi;
	u64 lo;
};

static struct u128 load(const struct in6_addr *a)
{
	struct u128 v = { 0, 0 };
	unsigned int i;

	for (i = 0; i < 8; i++) {
		v.hi = v.hi << 8 | a->s6_addr[i];
		v.lo = v.lo << 8 | a->s6_addr[i + 8];
	}
	return v;
}

static void store(struct u128 v, struct in6_addr *a)
{
	int i;

	for (i = 7; i >= 0; i--) {
		a->s6_addr[i] = v.hi & 0xff;
		a->s6_addr[i + 8] = v.lo & 0xff;
		v.hi >>= 8;
		v.lo >>= 8;
	}
}

/* @x (at most 32 bits) shifted left by @n, 0 <= @n <= 127 */
static struct u128 shl(u64 x, unsigned int n)
{
	struct u128 v = { 0, 0 };

	if (n >= 128)
		return v;
	if (n >= 64) {
		v.hi = x << (n - 64);
		v.lo = 0;
	} else {
		v.lo = x << n;
		v.hi = n ? x >> (64 - n) : 0;
	}
	return v;
}

/* The low @bits bits of a 32-bit value: 0..32 of them. */
static u32 low_bits(u32 x, unsigned int bits)
{
	return bits >= 32 ? x : x & ((1U << bits) - 1);
}

/**
 * map646_prefix4_mask() - an IPv4 address cut to a prefix
 * @a: the address
 * @len: prefix length, 0..32
 *
 * Return: @a with the bits past @len cleared.
 */
__be32 map646_prefix4_mask(__be32 a, unsigned int len)
{
	return htonl(ntohl(a) & ~low_bits(U32_MAX, 32 - len));
}

/**
 * map646_prefix6_mask() - an IPv6 address cut to a prefix
 * @a: the address
 * @len: prefix length, 0..128
 * @out: @a with the bits past @len cleared
 */
void map646_prefix6_mask(const struct in6_addr *a, unsigned int len,
			 struct in6_addr *out)
{
	unsigned int i;

	*out = *a;
	for (i = len / 8; i < 16; i++)
		out->s6_addr[i] = 0;
	if (len % 8)
		out->s6_addr[len / 8] = a->s6_addr[len / 8] & (0xff00 >> (len % 8));
}

/**
 * map646_eam_check() - validate a block mapping
 * @m: the mapping
 *
 * Return: MAP646_EAM_OK, or what is wrong with it.
 */
enum map646_eam_err map646_eam_check(const struct map646_eam *m)
{
	struct in6_addr cut;

	if (m->len4 > 32 || m->len6 > 128)
		return MAP646_EAM_BAD_LEN;
	if (32 - m->len4 > 128 - m->len6)
		return MAP646_EAM_SUFFIX;
	if (map646_prefix4_mask(m->v4, m->len4) != m->v4)
		return MAP646_EAM_HOST_BITS4;
	map646_prefix6_mask(&m->v6, m->len6, &cut);
	if (memcmp(&cut, &m->v6, sizeof(cut)))
		return MAP646_EAM_HOST_BITS6;
	return MAP646_EAM_OK;
}

/**
 * map646_eam_has4() - whether an IPv4 address is in the IPv4 block
 * @m: a valid mapping
 * @v4: the address
 *
 * Return: true if it is.
 */
bool map646_eam_has4(const struct map646_eam *m, __be32 v4)
{
	return map646_prefix4_mask(v4, m->len4) == m->v4;
}

/**
 * map646_eam_4to6() - the IPv6 address an IPv4 address of the block maps to
 * @m: a valid mapping
 * @v4: an address of its IPv4 block
 * @v6: the address at the same place in the IPv6 block
 */
void map646_eam_4to6(const struct map646_eam *m, __be32 v4,
		     struct in6_addr *v6)
{
	unsigned int s4 = 32 - m->len4;
	struct u128 a = load(&m->v6);
	struct u128 b = shl(low_bits(ntohl(v4), s4), 128 - m->len6 - s4);

	a.hi |= b.hi;
	a.lo |= b.lo;
	store(a, v6);
}

/**
 * map646_eam_6to4() - the IPv4 address an IPv6 address of the block maps to
 * @m: a valid mapping
 * @v6: an IPv6 address
 * @v4: the address at the same place in the IPv4 block
 *
 * Return: false when @v6 is not in the IPv6 block (prefix differs, or a
 * bit set past the IPv4 suffix's place).
 */
bool map646_eam_6to4(const struct map646_eam *m, const struct in6_addr *v6,
		     __be32 *v4)
{
	unsigned int s4 = 32 - m->len4, tail = 128 - m->len6 - s4;
	struct u128 a = load(v6), p = load(&m->v6);
	struct u128 field = shl(low_bits(U32_MAX, s4), tail);
	u64 x;

	if ((a.hi & ~field.hi) != p.hi || (a.lo & ~field.lo) != p.lo)
		return false;
	x = tail >= 128 ? 0 : tail >= 64 ? a.hi >> (tail - 64) :
	    tail ? (a.lo >> tail) | (a.hi << (64 - tail)) : a.lo;
	*v4 = htonl(ntohl(m->v4) | low_bits((u32)x, s4));
	return true;
}
