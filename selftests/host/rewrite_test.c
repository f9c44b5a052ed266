// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of the map66 rewrite (kmod/xlat66.c) and of the block
 * arithmetic of RFC 7757 mappings (kmod/rfc7757.c). Checksums are checked
 * with the independent sums of host_test.h. Output: KTAP-style lines.
 */
#include <linux/map646.h>
#include "host_test.h"
#include "rfc7757.h"
#include "xlat66.h"

static struct in6_addr global, internal, remote, router;
static uint8_t pkt[70000], ref[70000];

static void addr6(const char *s, struct in6_addr *a)
{
	EXPECT(inet_pton(AF_INET6, s, a) == 1);
}

static size_t csum_at(uint8_t proto)
{
	return proto == IPPROTO_TCP ? 16 : proto == IPPROTO_UDP ? 6 : 2;
}

/* Is the checksum of the transport message at @l4 (@len bytes) right? */
static bool l4_ok(const struct in6_addr *s, const struct in6_addr *d,
		  uint8_t proto, const uint8_t *l4, size_t len)
{
	return ref_fold(ref_sum(l4, len, ref_pseudo(s, d, 16, len, proto))) == 0;
}

static void set_csum(const struct in6_addr *s, const struct in6_addr *d,
		     uint8_t proto, uint8_t *l4, size_t len)
{
	uint16_t c;

	l4[csum_at(proto)] = l4[csum_at(proto) + 1] = 0;
	c = ref_fold(ref_sum(l4, len, ref_pseudo(s, d, 16, len, proto)));
	if (proto == IPPROTO_UDP && !c)
		c = 0xffff;
	l4[csum_at(proto)] = c >> 8;
	l4[csum_at(proto) + 1] = c & 0xff;
}

/* An IPv6 header at @p; @frag: with a Fragment header of offset @off. */
static size_t ip6(uint8_t *p, const struct in6_addr *s, const struct in6_addr *d,
		  uint8_t proto, size_t payload, bool frag, unsigned int off,
		  bool mf)
{
	struct ipv6hdr *h = (struct ipv6hdr *)p;

	memset(p, 0, 48);
	*(uint32_t *)p = htonl(0x6b812345);	/* traffic class, flow label */
	h->payload_len = htons(payload + (frag ? 8 : 0));
	h->nexthdr = frag ? NEXTHDR_FRAGMENT : proto;
	h->hop_limit = 63;
	h->saddr = *s;
	h->daddr = *d;
	if (!frag)
		return 40;
	p[40] = proto;
	p[42] = (off << 3) >> 8;
	p[43] = ((off << 3) & 0xf8) | mf;
	memcpy(p + 44, "\xbe\xef\x00\x01", 4);
	return 48;
}

/* A transport message: header for @proto, then a byte pattern. */
static void l4(uint8_t *p, uint8_t proto, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(i * 7 + 3);
	if (proto == IPPROTO_UDP) {
		p[4] = len >> 8;
		p[5] = len & 0xff;
	} else if (proto == IPPROTO_ICMPV6) {
		p[0] = ICMPV6_ECHO_REQUEST;
		p[1] = 0;
	} else if (proto == IPPROTO_TCP) {
		p[12] = 5 << 4;
	}
}

static size_t build(uint8_t proto, size_t len, const struct in6_addr *s,
		    const struct in6_addr *d)
{
	size_t hl = ip6(pkt, s, d, proto, len, false, 0, false);

	l4(pkt + hl, proto, len);
	set_csum(s, d, proto, pkt + hl, len);
	return hl + len;
}

/* Parse and rewrite @len bytes of pkt[] as the module does: 0 or reason. */
static int rewrite(size_t len, const struct map646_rewrite66 *rw,
		   struct map646_pkt *p, bool partial)
{
	int err;

	*p = (struct map646_pkt){ .l3 = pkt, .hlen = len, .len = len,
				  .csum_partial = partial };
	err = map646_xlat66_parse(p);
	if (!err)
		map646_xlat66(p, rw);
	return err;
}

/* Global -> internal and back, every transport, odd and even lengths. */
static void t_both_ways(void)
{
	static const uint8_t protos[] = { IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMPV6 };
	static const size_t sizes[] = { 20, 21, 999, 1000, 1453, 9001 };
	const struct map646_rewrite66 in = { .daddr = &internal };
	const struct map646_rewrite66 out = { .saddr = &global };
	struct ipv6hdr *h = (struct ipv6hdr *)pkt;
	struct map646_pkt p;
	unsigned int i, j;
	size_t len;

	for (i = 0; i < ARRAY_SIZE(protos); i++)
		for (j = 0; j < ARRAY_SIZE(sizes); j++) {
			len = build(protos[i], sizes[j], &remote, &global);
			memcpy(ref, pkt, len);
			EXPECT(rewrite(len, &in, &p, false) == 0);
			EXPECT(!memcmp(&h->daddr, &internal, 16));
			EXPECT(!memcmp(&h->saddr, &remote, 16));
			EXPECT(h->hop_limit == 64);
			EXPECT(!memcmp(pkt, ref, 4));	/* class, flow label */
			EXPECT(l4_ok(&remote, &internal, protos[i], pkt + 40,
				     sizes[j]));
			EXPECT(!memcmp(pkt + 40 + csum_at(protos[i]) + 2,
				       ref + 40 + csum_at(protos[i]) + 2,
				       sizes[j] - csum_at(protos[i]) - 2));

			len = build(protos[i], sizes[j], &internal, &remote);
			EXPECT(rewrite(len, &out, &p, false) == 0);
			EXPECT(!memcmp(&h->saddr, &global, 16));
			EXPECT(!memcmp(&h->daddr, &remote, 16));
			EXPECT(l4_ok(&global, &remote, protos[i], pkt + 40,
				     sizes[j]));
		}
}

/* Between two mapped servers both addresses change. */
static void t_hairpin(void)
{
	struct in6_addr g2, i2;
	const struct map646_rewrite66 rw = { .saddr = &global, .daddr = &i2 };
	struct ipv6hdr *h = (struct ipv6hdr *)pkt;
	struct map646_pkt p;
	size_t len;

	addr6("2001:db8:ff::2", &g2);
	addr6("fd00:1::2", &i2);
	len = build(IPPROTO_UDP, 333, &internal, &g2);
	EXPECT(rewrite(len, &rw, &p, false) == 0);
	EXPECT(!memcmp(&h->saddr, &global, 16) && !memcmp(&h->daddr, &i2, 16));
	EXPECT(l4_ok(&global, &i2, IPPROTO_UDP, pkt + 40, 333));
}

/* Offload finishes the checksum: the field holds the pseudo-header sum. */
static void t_partial(void)
{
	const struct map646_rewrite66 rw = { .daddr = &internal };
	struct map646_pkt p;
	uint16_t want, got;
	size_t len = build(IPPROTO_TCP, 100, &remote, &global);

	want = ~ref_fold(ref_pseudo(&remote, &global, 16, 100, IPPROTO_TCP));
	pkt[56] = want >> 8;
	pkt[57] = want & 0xff;
	EXPECT(rewrite(len, &rw, &p, true) == 0);
	want = ~ref_fold(ref_pseudo(&remote, &internal, 16, 100, IPPROTO_TCP));
	got = pkt[56] << 8 | pkt[57];
	EXPECT(got == want);
}

/* A UDP checksum 0 (invalid in IPv6) is left alone, never made up. */
static void t_udp_zero(void)
{
	const struct map646_rewrite66 rw = { .daddr = &internal };
	struct map646_pkt p;
	size_t len = build(IPPROTO_UDP, 50, &remote, &global);

	pkt[46] = pkt[47] = 0;
	EXPECT(rewrite(len, &rw, &p, false) == 0);
	EXPECT(!pkt[46] && !pkt[47]);
}

/*
 * Fragments: the first carries the transport header, whose checksum
 * covers the whole datagram; the others only change addresses.
 */
static void t_fragments(void)
{
	const struct map646_rewrite66 rw = { .daddr = &internal };
	struct map646_pkt p;
	uint8_t whole[1300];
	size_t len, n;

	len = build(IPPROTO_UDP, 1201, &remote, &global);
	EXPECT(rewrite(len, &rw, &p, false) == 0);
	memcpy(whole, pkt + 40, 1201);	/* the datagram as it must arrive */

	len = build(IPPROTO_UDP, 1201, &remote, &global);
	memcpy(ref, pkt + 40, 1201);
	n = ip6(pkt, &remote, &global, IPPROTO_UDP, 600, true, 0, true);
	memcpy(pkt + n, ref, 600);
	EXPECT(rewrite(n + 600, &rw, &p, false) == 0);
	EXPECT(p.frag && !p.frag_off && p.mf);
	EXPECT(!memcmp(pkt + 24, &internal, 16));
	EXPECT(!memcmp(pkt + n, whole, 600));	/* same checksum as whole */

	n = ip6(pkt, &remote, &global, IPPROTO_UDP, 601, true, 75, false);
	memcpy(pkt + n, ref + 600, 601);
	EXPECT(rewrite(n + 601, &rw, &p, false) == 0);
	EXPECT(p.frag_off == 75);
	EXPECT(!memcmp(pkt + n, ref + 600, 601));
	EXPECT(!memcmp(pkt + 24, &internal, 16));

	/* an ICMPv6 error in fragments cannot be rewritten inside */
	n = ip6(pkt, &remote, &global, IPPROTO_ICMPV6, 64, true, 0, true);
	l4(pkt + n, IPPROTO_ICMPV6, 64);
	pkt[n] = ICMPV6_DEST_UNREACH;
	EXPECT(rewrite(n + 64, &rw, &p, false) == MAP646_STAT_DROP_FRAGMENT);
}

/*
 * An ICMPv6 error quoting @inner_len bytes of a UDP packet @s -> @d of
 * @udp_len bytes, sent by @from to @to.
 */
static size_t build_err(uint8_t type, const struct in6_addr *from,
			const struct in6_addr *to, const struct in6_addr *s,
			const struct in6_addr *d, size_t udp_len,
			size_t inner_len)
{
	size_t n;

	ip6(ref, s, d, IPPROTO_UDP, udp_len, false, 0, false);
	l4(ref + 40, IPPROTO_UDP, udp_len);
	set_csum(s, d, IPPROTO_UDP, ref + 40, udp_len);
	n = ip6(pkt, from, to, IPPROTO_ICMPV6, 8 + inner_len, false, 0, false);
	memset(pkt + n, 0, 8);
	pkt[n] = type;
	pkt[n + 7] = type == ICMPV6_PKT_TOOBIG ? 0x80 : 0;
	memcpy(pkt + n + 8, ref, inner_len);
	set_csum(from, to, IPPROTO_ICMPV6, pkt + n, 8 + inner_len);
	return n + 8 + inner_len;
}

/* Errors about a rewritten packet: the quoted addresses change back. */
static void t_icmp_errors(void)
{
	const struct map646_rewrite66 in = { .daddr = &internal,
					     .in_saddr = &internal };
	const struct map646_rewrite66 out = { .saddr = &global,
					      .in_daddr = &global };
	const struct map646_rewrite66 inner_only = { .in_daddr = &global };
	struct map646_pkt p;
	size_t len;

	/* a router out there: too big, about what the server sent */
	len = build_err(ICMPV6_PKT_TOOBIG, &router, &global, &global, &remote,
			1400, 1232);
	EXPECT(rewrite(len, &in, &p, false) == 0);
	EXPECT(p.icmp_err);
	EXPECT(!memcmp(pkt + 24, &internal, 16));
	EXPECT(!memcmp(pkt + 48 + 8, &internal, 16));	/* quoted source */
	EXPECT(!memcmp(pkt + 48 + 24, &remote, 16));
	EXPECT(l4_ok(&router, &internal, IPPROTO_ICMPV6, pkt + 40, len - 40));
	EXPECT(pkt[47] == 0x80);			/* the MTU untouched */

	/* the server itself: port unreachable, about what it was sent */
	len = build_err(ICMPV6_DEST_UNREACH, &internal, &remote, &remote,
			&internal, 61, 40 + 61);
	EXPECT(rewrite(len, &out, &p, false) == 0);
	EXPECT(!memcmp(pkt + 8, &global, 16));
	EXPECT(!memcmp(pkt + 48 + 24, &global, 16));	/* quoted dest */
	EXPECT(l4_ok(&global, &remote, IPPROTO_ICMPV6, pkt + 40, len - 40));
	/* the quoted datagram is whole: its checksum holds too */
	EXPECT(l4_ok(&remote, &global, IPPROTO_UDP, pkt + 48 + 40, 61));

	/* a router inside (traceroute): only the quoted packet changes */
	len = build_err(ICMPV6_TIME_EXCEED, &router, &remote, &remote,
			&internal, 30, 40 + 30);
	EXPECT(rewrite(len, &inner_only, &p, false) == 0);
	EXPECT(!memcmp(pkt + 8, &router, 16) && !memcmp(pkt + 24, &remote, 16));
	EXPECT(!memcmp(pkt + 48 + 24, &global, 16));
	EXPECT(l4_ok(&router, &remote, IPPROTO_ICMPV6, pkt + 40, len - 40));
	EXPECT(l4_ok(&remote, &global, IPPROTO_UDP, pkt + 48 + 40, 30));

	/* a quote cut inside the inner header: only the outer part */
	len = build_err(ICMPV6_DEST_UNREACH, &router, &global, &global,
			&remote, 100, 20);
	EXPECT(rewrite(len, &in, &p, false) == 0);
	EXPECT(!memcmp(pkt + 24, &internal, 16));
	EXPECT(l4_ok(&router, &internal, IPPROTO_ICMPV6, pkt + 40, len - 40));
}

/* What the parser refuses, and what it asks to see whole. */
static void t_parse(void)
{
	struct map646_pkt p;
	size_t len = build(IPPROTO_UDP, 40, &remote, &global);

	p = (struct map646_pkt){ .l3 = pkt, .hlen = 39, .len = len };
	EXPECT(map646_xlat66_parse(&p) == MAP646_STAT_DROP_MALFORMED);
	p = (struct map646_pkt){ .l3 = pkt, .hlen = len, .len = len - 1 };
	EXPECT(map646_xlat66_parse(&p) == MAP646_STAT_DROP_MALFORMED);
	/* padding after the packet is not part of it */
	p = (struct map646_pkt){ .l3 = pkt, .hlen = len + 4, .len = len + 4 };
	EXPECT(map646_xlat66_parse(&p) == 0 && p.len == len);
	/* a Routing header with segments left: the checksum is not ours */
	memmove(pkt + 48, pkt + 40, 40);
	memset(pkt + 40, 0, 8);
	pkt[40] = IPPROTO_UDP;
	pkt[43] = 1;
	pkt[6] = NEXTHDR_ROUTING;
	pkt[5] += 8;
	p = (struct map646_pkt){ .l3 = pkt, .hlen = len + 8, .len = len + 8 };
	EXPECT(map646_xlat66_parse(&p) == MAP646_STAT_DROP_ROUTING);
	pkt[43] = 0;
	p = (struct map646_pkt){ .l3 = pkt, .hlen = len + 8, .len = len + 8 };
	EXPECT(map646_xlat66_parse(&p) == 0 && p.l3len == 48);
	/* headers past the contiguous part: it asks for more */
	p = (struct map646_pkt){ .l3 = pkt, .hlen = 50, .len = len + 8 };
	EXPECT(map646_xlat66_parse(&p) == MAP646_XLAT_NEED && p.need > 50);
	/* an error is asked for whole */
	len = build_err(ICMPV6_DEST_UNREACH, &router, &global, &global,
			&remote, 100, 100);
	p = (struct map646_pkt){ .l3 = pkt, .hlen = 80, .len = len };
	EXPECT(map646_xlat66_parse(&p) == MAP646_XLAT_NEED && p.need == len);
	/* a jumbogram has no length here */
	pkt[4] = pkt[5] = 0;
	p = (struct map646_pkt){ .l3 = pkt, .hlen = len, .len = len };
	EXPECT(map646_xlat66_parse(&p) == MAP646_STAT_DROP_MALFORMED);
}

static void addr4(const char *s, __be32 *a)
{
	EXPECT(inet_pton(AF_INET, s, a) == 1);
}

static struct map646_eam eam(const char *v4, int len4, const char *v6, int len6)
{
	struct map646_eam m = { .len4 = len4, .len6 = len6 };

	addr4(v4, &m.v4);
	addr6(v6, &m.v6);
	return m;
}

/* RFC 7757 blocks: first, middle and last address, both ways. */
static void t_eam_blocks(void)
{
	static const struct { const char *a4, *a6; } in[] = {
		{ "192.0.2.0", "2001:db8:1::" },
		{ "192.0.2.7", "2001:db8:1::7" },
		{ "192.0.2.15", "2001:db8:1::f" },
	};
	struct map646_eam m = eam("192.0.2.0", 28, "2001:db8:1::", 124);
	struct in6_addr got6, want6;
	__be32 got4, want4;
	unsigned int i;

	EXPECT(map646_eam_check(&m) == MAP646_EAM_OK);
	for (i = 0; i < ARRAY_SIZE(in); i++) {
		addr4(in[i].a4, &want4);
		addr6(in[i].a6, &want6);
		EXPECT(map646_eam_has4(&m, want4));
		map646_eam_4to6(&m, want4, &got6);
		EXPECT(!memcmp(&got6, &want6, 16));
		EXPECT(map646_eam_6to4(&m, &want6, &got4) && got4 == want4);
	}
	addr4("192.0.2.16", &want4);
	EXPECT(!map646_eam_has4(&m, want4));
	addr6("2001:db8:1::10", &want6);
	EXPECT(!map646_eam_6to4(&m, &want6, &got4));
	addr6("2001:db8:2::1", &want6);
	EXPECT(!map646_eam_6to4(&m, &want6, &got4));

	/* the whole IPv4 space in a /96, and one address */
	m = eam("0.0.0.0", 0, "2001:db8:64::", 96);
	addr4("203.0.113.9", &want4);
	map646_eam_4to6(&m, want4, &got6);
	addr6("2001:db8:64::cb00:7109", &want6);
	EXPECT(!memcmp(&got6, &want6, 16));
	EXPECT(map646_eam_6to4(&m, &want6, &got4) && got4 == want4);
	m = eam("198.51.100.1", 32, "2001:db8::1", 128);
	map646_eam_4to6(&m, m.v4, &got6);
	EXPECT(!memcmp(&got6, &m.v6, 16));
	EXPECT(map646_eam_6to4(&m, &m.v6, &got4) && got4 == m.v4);
}

/*
 * A longer IPv6 suffix (the Jool suite's 192.0.2.0/24 <-> /72): the IPv4
 * suffix comes right after the IPv6 prefix, the rest is zero, and an
 * address with a bit set there is not in the block.
 */
static void t_eam_longer_suffix(void)
{
	struct map646_eam m = eam("192.0.2.0", 24, "2001:db8:1c0:2::", 72);
	struct in6_addr got6, want6;
	__be32 got4, want4;

	EXPECT(map646_eam_check(&m) == MAP646_EAM_OK);
	addr4("192.0.2.33", &want4);
	addr6("2001:db8:1c0:2:21::", &want6);
	map646_eam_4to6(&m, want4, &got6);
	EXPECT(!memcmp(&got6, &want6, 16));
	EXPECT(map646_eam_6to4(&m, &want6, &got4) && got4 == want4);
	addr6("2001:db8:1c0:2:21::1", &want6);
	EXPECT(!map646_eam_6to4(&m, &want6, &got4));
}

static void t_eam_check(void)
{
	struct map646_eam m = eam("192.0.2.0", 24, "2001:db8::", 124);

	EXPECT(map646_eam_check(&m) == MAP646_EAM_SUFFIX);
	m = eam("192.0.2.1", 24, "2001:db8::", 120);
	EXPECT(map646_eam_check(&m) == MAP646_EAM_HOST_BITS4);
	m = eam("192.0.2.0", 24, "2001:db8::1", 120);
	EXPECT(map646_eam_check(&m) == MAP646_EAM_HOST_BITS6);
	m = eam("192.0.2.0", 33, "2001:db8::", 120);
	EXPECT(map646_eam_check(&m) == MAP646_EAM_BAD_LEN);
	m = eam("192.0.2.128", 25, "2001:db8::80", 121);
	EXPECT(map646_eam_check(&m) == MAP646_EAM_OK);
	EXPECT(map646_prefix4_mask(htonl(0xc00002ff), 25) == htonl(0xc0000280));
	EXPECT(map646_prefix4_mask(htonl(0xc00002ff), 0) == 0);
}

int main(void)
{
	addr6("2001:db8:ff::1", &global);
	addr6("fd00:1::1", &internal);
	addr6("2001:db8:99::7", &remote);
	addr6("2001:db8:77::1", &router);

	printf("TAP version 13\n1..10\n");
	run("map66_both_ways", t_both_ways);
	run("map66_hairpin", t_hairpin);
	run("map66_checksum_partial", t_partial);
	run("map66_udp_zero_checksum", t_udp_zero);
	run("map66_fragments", t_fragments);
	run("map66_icmp_errors", t_icmp_errors);
	run("map66_parse", t_parse);
	run("rfc7757_blocks", t_eam_blocks);
	run("rfc7757_longer_ipv6_suffix", t_eam_longer_suffix);
	run("rfc7757_check", t_eam_check);
	printf("# host: %d passed, %d failed\n", tests - failures, failures);
	return failures ? 1 : 0;
}
