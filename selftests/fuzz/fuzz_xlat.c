// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the translation core (the module's own kmod/xlat.c,
 * kmod/xlat_icmp.c, kmod/rfc6052.c on the host shim). The first input byte
 * picks the direction and settings, the rest is a packet. Besides crashes
 * and sanitizer reports it checks properties on every input:
 *  - a translated packet is well formed: lengths consistent, IPv4 header
 *    checksum valid, within the 1280/576 limits for ICMP errors;
 *  - a transport checksum valid on input is valid on output;
 *  - translating a translated TCP/UDP/echo packet back gives the original
 *    addresses, transport bytes and payload.
 * Bit 3 of the first byte selects the map66 rewrite (kmod/xlat66.c)
 * instead: the checksums valid on input stay valid, and rewriting back
 * gives the input again. Bit 4 puts a block mapping (RFC 7757,
 * kmod/rfc7757.c) in the table beside the single one, for every address
 * the translation looks up, and checks that its addresses map back.
 * A failed property prints "PROPERTY FAILED" and aborts.
 */
#include <stdio.h>
#include <linux/map646.h>
#include "one_mapping.h"
#include "rfc6052.h"
#include "rfc7757.h"
#include "xlat.h"
#include "xlat66.h"

/* the translator's links (errors about packets too big take them in) */
#define NEXTHOP_MTU4 1500
#define NEXTHOP_MTU6 9000

static struct map646_cfg cfg = { .lowest_ipv6_mtu = 1280, .tos_copy = true };
/* the Jool suite's server, so its packets seed the corpus */
static struct one_mapping srv = { .v4 = { 192, 0, 2, 33 } };
/* and its block mapping 198.51.100.0/24 <-> 2001:db8:1c6:3364::/72 */
static struct map646_eam block = { .len4 = 24, .len6 = 72 };
static bool use_block;
/* map66: a global and an internal address */
static struct in6_addr g66, i66;

static bool fuzz_map4(const void *table, __be32 a, struct in6_addr *v6)
{
	if (one_map4(table, a, v6))
		return true;
	if (!use_block || !map646_eam_has4(&block, a))
		return false;
	map646_eam_4to6(&block, a, v6);
	return true;
}

static bool fuzz_map6(const void *table, const struct in6_addr *v6, __be32 *a)
{
	return one_map6(table, v6, a) ||
	       (use_block && map646_eam_6to4(&block, v6, a));
}

static const struct map646_xlat_ctx ctx = { &cfg, &srv, fuzz_map4, fuzz_map6,
					    false };

#define PROPERTY(c) do {						\
	if (!(c)) {							\
		fprintf(stderr, "PROPERTY FAILED: %s (line %d)\n", #c, __LINE__); \
		abort();						\
	}								\
} while (0)

static uint32_t sum16(const uint8_t *p, size_t len, uint32_t sum)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (p[i] << 8) | p[i + 1];
	if (len & 1)
		sum += p[len - 1] << 8;
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

/* Is the transport checksum of an unfragmented packet right? */
static bool l4_ok(const uint8_t *p, size_t l3len, size_t len, bool v6, uint8_t proto)
{
	uint32_t s = sum16(p + l3len, len - l3len, 0);

	if (proto == IPPROTO_ICMP)
		return fold(s) == 0;
	s = v6 ? sum16(p + 8, 32, s) : sum16(p + 12, 8, s);
	return fold(s + (len - l3len) + proto) == 0;
}

static uint8_t pkt[70000], out[70000], back[70000];

/* 4 -> 6 as the module does it, into a flat buffer. 0 or drop reason. */
static int to6(uint8_t *in, size_t len, uint8_t *o, size_t *olen, struct map646_pkt *p)
{
	struct in6_addr s6, d6;
	__be32 src, dst;
	unsigned int n;
	int err;

	*p = (struct map646_pkt){ .l3 = in, .hlen = len, .len = len };
	err = map646_xlat_parse4(p, &cfg);
	if (err)
		return err;
	memcpy(&src, in + 12, 4);
	memcpy(&dst, in + 16, 4);
	if (!fuzz_map4(&srv, dst, &d6))
		return MAP646_STAT_DROP_NO_MAPPING_V4;
	map646_prefix_embed(&cfg.prefix, src, &s6);
	if (p->icmp_err) {
		err = map646_xlat_icmp_4to6(p, &ctx, &s6, &d6, NEXTHOP_MTU4,
					    NEXTHOP_MTU6, o, &n);
		*olen = n;
		return err;
	}
	n = map646_xlat_hdrlen6(p);
	map646_xlat_4to6(p, &cfg, &s6, &d6, o);
	memcpy(o + n, in + p->l3len, p->len - p->l3len);
	*olen = n + p->len - p->l3len;
	return 0;
}

static int to4(uint8_t *in, size_t len, uint8_t *o, size_t *olen, struct map646_pkt *p)
{
	struct in6_addr a;
	__be32 src, dst;
	unsigned int n;
	int err;

	*p = (struct map646_pkt){ .l3 = in, .hlen = len, .len = len };
	err = map646_xlat_parse6(p);
	if (err)
		return err;
	memcpy(&a, in + 24, 16);
	if (!map646_prefix_extract(&cfg.prefix, &a, &dst))
		return MAP646_STAT_DROP_NOT_IN_PREFIX;
	memcpy(&a, in + 8, 16);
	if (!fuzz_map6(&srv, &a, &src))
		return MAP646_STAT_DROP_NO_MAPPING_V6;
	if (p->icmp_err) {
		err = map646_xlat_icmp_6to4(p, &ctx, src, dst, NEXTHOP_MTU4,
					    NEXTHOP_MTU6, o, &n);
		*olen = n;
		return err;
	}
	map646_xlat_6to4(p, &cfg, src, dst, (struct iphdr *)o);
	memcpy(o + 20, in + p->l3len, p->len - p->l3len);
	*olen = 20 + p->len - p->l3len;
	return 0;
}

/* Translate back with the addresses in the same roles: src stays src. */
static int back_to4(uint8_t *in, size_t len, uint8_t *o, size_t *olen)
{
	struct map646_pkt p = { .l3 = in, .hlen = len, .len = len };
	struct in6_addr a;
	__be32 src, dst;
	int err = map646_xlat_parse6(&p);

	if (err || p.icmp_err)
		return -1;
	memcpy(&a, in + 8, 16);
	if (!map646_prefix_extract(&cfg.prefix, &a, &src))
		return -1;
	memcpy(&a, in + 24, 16);
	if (!fuzz_map6(&srv, &a, &dst))
		return -1;
	map646_xlat_6to4(&p, &cfg, src, dst, (struct iphdr *)o);
	memcpy(o + 20, in + p.l3len, p.len - p.l3len);
	*olen = 20 + p.len - p.l3len;
	return 0;
}

static int back_to6(uint8_t *in, size_t len, uint8_t *o, size_t *olen)
{
	struct map646_pkt p = { .l3 = in, .hlen = len, .len = len };
	struct in6_addr s6, d6;
	__be32 a;
	int err = map646_xlat_parse4(&p, &cfg);

	if (err || p.icmp_err)
		return -1;
	memcpy(&a, in + 12, 4);
	if (!fuzz_map4(&srv, a, &s6))
		return -1;
	memcpy(&a, in + 16, 4);
	map646_prefix_embed(&cfg.prefix, a, &d6);
	map646_xlat_4to6(&p, &cfg, &s6, &d6, o);
	memcpy(o + map646_xlat_hdrlen6(&p), in + p.l3len, p.len - p.l3len);
	*olen = map646_xlat_hdrlen6(&p) + p.len - p.l3len;
	return 0;
}

static void check_v6(const uint8_t *o, size_t olen, const struct map646_pkt *p)
{
	PROPERTY(olen >= 40 && (o[0] >> 4) == 6);
	PROPERTY((size_t)((o[4] << 8) | o[5]) == olen - 40);
	if (p->icmp_err)
		PROPERTY(olen <= MAP646_ICMP6_ERR_MAX && l4_ok(o, 40, olen, true, IPPROTO_ICMPV6));
}

static void check_v4(const uint8_t *o, size_t olen, const struct map646_pkt *p)
{
	PROPERTY(olen >= 20 && o[0] == 0x45);
	PROPERTY((size_t)((o[2] << 8) | o[3]) == olen);
	PROPERTY(fold(sum16(o, 20, 0)) == 0);
	if (p->icmp_err)
		PROPERTY(olen <= MAP646_ICMP4_ERR_MAX && l4_ok(o, 20, olen, false, IPPROTO_ICMP));
}

/* Same transport header and payload, checksum and ICMP type aside. */
static bool same_l4(const uint8_t *a, const uint8_t *b, size_t len, uint8_t proto)
{
	size_t ck = proto == IPPROTO_TCP ? 16 : proto == IPPROTO_UDP ? 6 : 2;
	size_t from = proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6 ? 1 : 0;

	return !memcmp(a + from, b + from, ck - from) &&
	       !memcmp(a + ck + 2, b + ck + 2, len - ck - 2);
}

static bool checked(uint8_t proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP ||
	       proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6;
}

/* The map66 mapping of @a in the role @global (else internal): its peer. */
static const struct in6_addr *peer66(const struct in6_addr *a, bool global,
				     bool back)
{
	const struct in6_addr *from = global != back ? &g66 : &i66;

	if (memcmp(a, from, 16))
		return NULL;
	return from == &g66 ? &i66 : &g66;
}

/* What path66.c looks up; @back: the mapping used the other way round. */
static bool rw66(const struct map646_pkt *p, struct map646_rewrite66 *rw,
		 bool back)
{
	const struct ipv6hdr *ip6 = p->l3, *in6 = map646_xlat66_inner(p);

	rw->daddr = peer66(&ip6->daddr, true, back);
	rw->saddr = peer66(&ip6->saddr, false, back);
	rw->in_saddr = in6 ? peer66(&in6->saddr, true, back) : NULL;
	rw->in_daddr = in6 ? peer66(&in6->daddr, false, back) : NULL;
	return rw->daddr || rw->saddr || rw->in_saddr || rw->in_daddr;
}

/* A 16-bit word of one's complement zero: 0 or 0xffff. */
static bool zero_word(const uint8_t *w)
{
	return (!w[0] && !w[1]) || (w[0] == 0xff && w[1] == 0xff);
}

/*
 * The same bytes, but for 16-bit words that are zero in both, one written
 * 0 and the other 0xffff: a checksum may come back either way.
 */
static bool same_words(const uint8_t *a, const uint8_t *b, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		if ((a[i] != b[i] || a[i + 1] != b[i + 1]) &&
		    !(zero_word(a + i) && zero_word(b + i)))
			return false;
	return !(len & 1) || a[len - 1] == b[len - 1];
}

/* The map66 rewrite, there and back. */
static void fuzz66(size_t len)
{
	struct map646_pkt p = { .l3 = pkt, .hlen = len, .len = len };
	struct in6_addr old[4];
	struct map646_rewrite66 rw, un;
	bool valid_l4, valid_in = false;
	const struct ipv6hdr *in6;
	size_t inner_l4 = 0;

	if (map646_xlat66_parse(&p) || !rw66(&p, &rw, false))
		return;
	in6 = map646_xlat66_inner(&p);
	/* what the rewrite replaces, to put back */
	memcpy(&old[0], pkt + 8, 16);
	memcpy(&old[1], pkt + 24, 16);
	if (in6) {
		old[2] = in6->saddr;
		old[3] = in6->daddr;
	}
	un = (struct map646_rewrite66){
		rw.saddr ? &old[0] : NULL, rw.daddr ? &old[1] : NULL,
		rw.in_saddr ? &old[2] : NULL, rw.in_daddr ? &old[3] : NULL };
	/* a UDP checksum 0 is none: it stays 0 */
	valid_l4 = (!p.frag || (!p.frag_off && !p.mf)) && checked(p.proto) &&
		   p.proto != IPPROTO_ICMP &&
		   !(p.proto == IPPROTO_UDP && !pkt[p.l3len + 6] &&
		     !pkt[p.l3len + 7]) &&
		   l4_ok(pkt, p.l3len, p.len, true, p.proto);
	if (valid_l4 && in6 && in6->nexthdr == IPPROTO_UDP &&
	    p.l3len == 40 && 8 + 40 + ntohs(in6->payload_len) == p.len - 40 &&
	    (pkt[48 + 46] || pkt[48 + 47])) {
		inner_l4 = p.len - 40 - 8 - 40;
		valid_in = l4_ok(pkt + 48, 40, 40 + inner_l4, true, IPPROTO_UDP);
	}
	memcpy(back, pkt, p.len);
	map646_xlat66(&p, &rw);
	PROPERTY(pkt[7] == (back[7] < 255 ? back[7] + 1 : 255));
	if (valid_l4)
		PROPERTY(l4_ok(pkt, p.l3len, p.len, true, p.proto));
	if (valid_in)
		PROPERTY(l4_ok(pkt + 48, 40, 40 + inner_l4, true, IPPROTO_UDP));
	/* and back: every byte as it was, the hop limit aside */
	map646_xlat66(&p, &un);
	pkt[7] = back[7];
	PROPERTY(same_words(pkt, back, p.len));
}

/* Block arithmetic: whatever maps, maps back. */
static void fuzz_block(const uint8_t *data, size_t size)
{
	struct in6_addr a6, b6;
	__be32 a4, b4;

	if (size < 21)
		return;
	memcpy(&a4, data + 1, 4);
	a4 = map646_prefix4_mask(block.v4, block.len4) |
	     (a4 & ~map646_prefix4_mask(htonl(U32_MAX), block.len4));
	map646_eam_4to6(&block, a4, &a6);
	PROPERTY(map646_eam_6to4(&block, &a6, &b4) && b4 == a4);
	memcpy(&a6, data + 5, 16);
	if (map646_eam_6to4(&block, &a6, &b4)) {
		PROPERTY(map646_eam_has4(&block, b4));
		map646_eam_4to6(&block, b4, &b6);
		PROPERTY(!memcmp(&a6, &b6, 16));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct map646_pkt p;
	size_t len, olen, blen;
	bool valid;

	if (size < 2 || size > sizeof(pkt))
		return 0;
	cfg.udp_zero_csum = data[0] & 2;
	cfg.tos_copy = !(data[0] & 4);
	use_block = data[0] & 16;
	len = size - 1;
	memcpy(pkt, data + 1, len);
	if (use_block)
		fuzz_block(data, size);
	if (data[0] & 8) {
		fuzz66(len);
		return 0;
	}

	if (!(data[0] & 1)) {
		/* 4 -> 6; the fuzzer finds the mapped destination in the seeds */
		valid = len >= 20 && (pkt[0] & 15) >= 5 && (size_t)(pkt[0] & 15) * 4 <= len &&
			!(pkt[6] & 0x3f) && !pkt[7] &&
			l4_ok(pkt, (pkt[0] & 15) * 4, len, false, pkt[9]);
		if (to6(pkt, len, out, &olen, &p))
			return 0;
		check_v6(out, olen, &p);
		if (p.icmp_err || p.frag || !checked(p.proto))
			return 0;
		if (valid && p.len == len)
			PROPERTY(l4_ok(out, 40, olen, true, out[6]));
		/* and back: the same addresses, transport bytes and payload */
		if (back_to4(out, olen, back, &blen) == 0) {
			PROPERTY(blen == p.len - p.l3len + 20);
			PROPERTY(!memcmp(back + 12, pkt + 12, 8));
			PROPERTY(back[9] == p.proto);
			PROPERTY(same_l4(back + 20, pkt + p.l3len, blen - 20, p.proto));
		}
	} else {
		valid = len >= 40 && l4_ok(pkt, 40, len, true, pkt[6]);
		if (to4(pkt, len, out, &olen, &p))
			return 0;
		check_v4(out, olen, &p);
		if (p.icmp_err || p.frag || !checked(p.proto))
			return 0;
		if (valid && p.l3len == 40 && p.len == len)
			PROPERTY(l4_ok(out, 20, olen, false, out[9]));
		if (back_to6(out, olen, back, &blen) == 0) {
			PROPERTY(blen == p.len - p.l3len + 40);
			PROPERTY(!memcmp(back + 8, pkt + 8, 16));	/* the server */
			PROPERTY(back[6] == p.proto);
			PROPERTY(same_l4(back + 40, pkt + p.l3len, blen - 40, p.proto));
		}
	}
	return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	inet_pton(AF_INET6, "2001:db8:1c0:2:21::", &srv.v6);
	inet_pton(AF_INET, "198.51.100.0", &block.v4);
	inet_pton(AF_INET6, "2001:db8:1c6:3364::", &block.v6);
	/* the Jool suite's addresses, so its packets meet the mapping */
	inet_pton(AF_INET6, "2001:db8:1c6:3364:2::", &g66);
	inet_pton(AF_INET6, "2001:db8:1c0:2:21::", &i66);
	inet_pton(AF_INET6, "2001:db8:100::", &cfg.prefix.addr);
	cfg.prefix.len = 40;
	return 0;
}
