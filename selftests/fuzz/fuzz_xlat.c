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
 * A failed property prints "PROPERTY FAILED" and aborts.
 */
#include <stdio.h>
#include <linux/map646.h>
#include "one_mapping.h"
#include "rfc6052.h"
#include "xlat.h"

/* the translator's links (errors about packets too big take them in) */
#define NEXTHOP_MTU4 1500
#define NEXTHOP_MTU6 9000

static struct map646_cfg cfg = { .lowest_ipv6_mtu = 1280, .tos_copy = true };
/* the Jool suite's server, so its packets seed the corpus */
static struct one_mapping srv = { .v4 = { 192, 0, 2, 33 } };
static const struct map646_xlat_ctx ctx = { &cfg, &srv, one_map4, one_map6,
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
	if (!one_map4(&srv, dst, &d6))
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
	if (!one_map6(&srv, &a, &src))
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
	if (!one_map6(&srv, &a, &dst))
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
	if (!one_map4(&srv, a, &s6))
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct map646_pkt p;
	size_t len, olen, blen;
	bool valid;

	if (size < 2 || size > sizeof(pkt))
		return 0;
	cfg.udp_zero_csum = data[0] & 2;
	cfg.tos_copy = !(data[0] & 4);
	len = size - 1;
	memcpy(pkt, data + 1, len);

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
	inet_pton(AF_INET6, "2001:db8:100::", &cfg.prefix.addr);
	cfg.prefix.len = 40;
	return 0;
}
