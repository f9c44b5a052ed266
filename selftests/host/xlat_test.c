// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of the translation core (kmod/xlat.c, kmod/rfc6052.c).
 * Checksums are verified with an independent, byte-wise RFC 1071 sum, not
 * with the helpers the code under test uses. Output: KTAP-style lines.
 */
#include <stdio.h>
#include <linux/map646.h>
#include "host_test.h"
#include "one_mapping.h"
#include "rfc6052.h"
#include "xlat.h"

static size_t csum_off(uint8_t proto)
{
	switch (proto) {
	case IPPROTO_TCP: return 16;
	case IPPROTO_UDP: return 6;
	default: return 2;	/* ICMP, ICMPv6 */
	}
}

/* Is the transport checksum of an IPv4 packet right? */
static bool l4_ok4(const uint8_t *pkt)
{
	const struct iphdr *ip = (const void *)pkt;
	size_t hl = ip->ihl * 4, l4len = ntohs(ip->tot_len) - hl;
	uint32_t sum = ref_sum(pkt + hl, l4len, 0);

	if (ip->protocol != IPPROTO_ICMP)
		sum += ref_pseudo(&ip->saddr, &ip->daddr, 4, l4len, ip->protocol);
	return ref_fold(sum) == 0;
}

static bool l4_ok6(const uint8_t *pkt)
{
	const struct ipv6hdr *ip6 = (const void *)pkt;
	size_t l4len = ntohs(ip6->payload_len);
	uint32_t sum = ref_sum(pkt + 40, l4len, 0);

	sum += ref_pseudo(&ip6->saddr, &ip6->daddr, 16, l4len, ip6->nexthdr);
	return ref_fold(sum) == 0;
}

static void set_csum(uint8_t *l4, uint8_t proto, uint32_t pseudo, size_t len)
{
	uint16_t c;

	memset(l4 + csum_off(proto), 0, 2);
	c = ref_fold(ref_sum(l4, len, pseudo));
	if (proto == IPPROTO_UDP && !c)
		c = 0xffff;
	l4[csum_off(proto)] = c >> 8;
	l4[csum_off(proto) + 1] = c & 0xff;
}

/* Transport header + payload of @len bytes with a recognisable pattern. */
static void fill_l4(uint8_t *l4, uint8_t proto, size_t len, uint8_t icmp_type)
{
	size_t i;

	for (i = 0; i < len; i++)
		l4[i] = (uint8_t)(random() >> 7);
	if (proto == IPPROTO_UDP) {
		l4[4] = len >> 8;
		l4[5] = len & 0xff;
	}
	if (proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6) {
		l4[0] = icmp_type;
		l4[1] = 0;
	}
	if (proto == IPPROTO_TCP)
		l4[12] = 5 << 4;
}

struct spec {
	uint8_t proto;
	uint8_t icmp_type;
	uint8_t tos;
	uint8_t ttl;
	size_t l4len;
};

static const uint8_t v4src[4] = { 198, 51, 100, 7 };
static const uint8_t v4dst[4] = { 192, 0, 2, 10 };
static struct in6_addr v6server, v6client;	/* 2001:db8:1::10, 64:ff9b::c633:6407 */
static struct map646_cfg cfg = {	/* prefix 64:ff9b::/96 set in main() */
	.lowest_ipv6_mtu = 1280, .tos_copy = true, .icmp_reply = true,
};

static size_t build4(uint8_t *buf, const struct spec *s)
{
	struct iphdr *ip = (void *)buf;
	size_t len = 20 + s->l4len;

	memset(ip, 0, 20);
	ip->version = 4;
	ip->ihl = 5;
	ip->tos = s->tos;
	ip->tot_len = htons(len);
	ip->id = htons(0x1234);
	ip->ttl = s->ttl;
	ip->protocol = s->proto;
	memcpy(&ip->saddr, v4src, 4);
	memcpy(&ip->daddr, v4dst, 4);
	ip->check = htons(ref_fold(ref_sum(buf, 20, 0)));
	fill_l4(buf + 20, s->proto, s->l4len, s->icmp_type);
	set_csum(buf + 20, s->proto, s->proto == IPPROTO_ICMP ? 0 :
		 ref_pseudo(v4src, v4dst, 4, s->l4len, s->proto), s->l4len);
	return len;
}

static size_t build6(uint8_t *buf, const struct spec *s)
{
	struct ipv6hdr *ip6 = (void *)buf;

	memset(ip6, 0, 40);
	*(uint32_t *)ip6 = htonl(0x60000000 | s->tos << 20 | 0x12345);
	ip6->payload_len = htons(s->l4len);
	ip6->nexthdr = s->proto;
	ip6->hop_limit = s->ttl;
	ip6->saddr = v6server;
	ip6->daddr = v6client;
	fill_l4(buf + 40, s->proto, s->l4len, s->icmp_type);
	set_csum(buf + 40, s->proto, ref_pseudo(&v6server, &v6client, 16,
						s->l4len, s->proto), s->l4len);
	return 40 + s->l4len;
}

/* What the module does with an skb, on a flat buffer: 0 or drop reason. */
static int do_4to6(uint8_t *buf, size_t len, size_t hlen, uint8_t *out,
		   size_t *outlen)
{
	struct map646_pkt pkt = { .l3 = buf, .hlen = hlen, .len = len };
	struct in6_addr saddr;
	uint8_t hdr[48];
	unsigned int hl;
	__be32 src;
	int err = map646_xlat_parse4(&pkt, &cfg);

	if (err)
		return err;
	memcpy(&src, &((struct iphdr *)buf)->saddr, 4);
	map646_prefix_embed(&cfg.prefix, src, &saddr);
	map646_xlat_4to6(&pkt, &cfg, &saddr, &v6server, hdr);
	hl = map646_xlat_hdrlen6(&pkt);
	memcpy(out, hdr, hl);
	memcpy(out + hl, buf + pkt.l3len, pkt.len - pkt.l3len);
	*outlen = hl + pkt.len - pkt.l3len;
	return 0;
}

static int do_6to4(uint8_t *buf, size_t len, size_t hlen, uint8_t *out,
		   size_t *outlen)
{
	struct map646_pkt pkt = { .l3 = buf, .hlen = hlen, .len = len };
	struct iphdr ip4;
	__be32 saddr, daddr;
	int err = map646_xlat_parse6(&pkt);

	if (err)
		return err;
	if (!map646_prefix_extract(&cfg.prefix, &((struct ipv6hdr *)buf)->daddr, &daddr))
		return MAP646_STAT_DROP_NOT_IN_PREFIX;
	memcpy(&saddr, v4dst, 4);
	map646_xlat_6to4(&pkt, &cfg, saddr, daddr, &ip4);
	memcpy(out, &ip4, sizeof(ip4));
	memcpy(out + sizeof(ip4), buf + pkt.l3len, pkt.len - pkt.l3len);
	*outlen = sizeof(ip4) + pkt.len - pkt.l3len;
	return 0;
}

static uint8_t in[70000], out[70000];

static void check_4to6(const struct spec *s)
{
	size_t len = build4(in, s), outlen = 0;
	size_t hlen = len < MAP646_XLAT_HDR_MAX ? len : MAP646_XLAT_HDR_MAX;
	const struct ipv6hdr *ip6 = (const void *)out;
	uint8_t l4in[64];

	memcpy(l4in, in + 20, s->l4len < 64 ? s->l4len : 64);
	EXPECT(do_4to6(in, len, hlen, out, &outlen) == 0);
	EXPECT(outlen == len + 20);
	EXPECT(ip6->version == 6);
	EXPECT(ipv6_get_dsfield(ip6) == s->tos);
	EXPECT((ntohl(*(uint32_t *)ip6) & 0xfffff) == 0);	/* flow label */
	EXPECT(ntohs(ip6->payload_len) == s->l4len);
	EXPECT(ip6->nexthdr == (s->proto == IPPROTO_ICMP ? IPPROTO_ICMPV6 : s->proto));
	EXPECT(ip6->hop_limit == s->ttl + 1);
	EXPECT(!memcmp(&ip6->saddr, &v6client, 16));
	EXPECT(!memcmp(&ip6->daddr, &v6server, 16));
	EXPECT(l4_ok6(out));
	if (s->proto == IPPROTO_ICMP)
		EXPECT(out[40] == (s->icmp_type == ICMP_ECHO ? ICMPV6_ECHO_REQUEST :
							       ICMPV6_ECHO_REPLY));
	/* payload untouched past the checksum */
	EXPECT(!memcmp(out + 40 + csum_off(s->proto) + 2,
		       l4in + csum_off(s->proto) + 2,
		       (s->l4len < 64 ? s->l4len : 64) - csum_off(s->proto) - 2));
}

static void check_6to4(const struct spec *s)
{
	size_t len = build6(in, s), outlen = 0;
	size_t hlen = len < MAP646_XLAT_HDR_MAX ? len : MAP646_XLAT_HDR_MAX;
	const struct iphdr *ip = (const void *)out;
	bool df = outlen > 1260;

	EXPECT(do_6to4(in, len, hlen, out, &outlen) == 0);
	df = outlen > 1260;
	EXPECT(outlen == len - 20);
	EXPECT(ip->version == 4 && ip->ihl == 5);
	EXPECT(ref_fold(ref_sum(out, 20, 0)) == 0);
	EXPECT(ip->tos == s->tos);
	EXPECT(ntohs(ip->tot_len) == outlen);
	EXPECT(!!(ip->frag_off & htons(IP_DF)) == df);
	EXPECT(!(ip->frag_off & htons(IP_MF | IP_OFFSET)));
	EXPECT(ip->ttl == s->ttl + 1);
	EXPECT(ip->protocol == (s->proto == IPPROTO_ICMPV6 ? IPPROTO_ICMP : s->proto));
	EXPECT(!memcmp(&ip->saddr, v4dst, 4));
	EXPECT(!memcmp(&ip->daddr, v4src, 4));
	EXPECT(l4_ok4(out));
	if (s->proto == IPPROTO_ICMPV6)
		EXPECT(out[20] == (s->icmp_type == ICMPV6_ECHO_REQUEST ? ICMP_ECHO :
								      ICMP_ECHOREPLY));
}

static const uint8_t protos[] = { IPPROTO_TCP, IPPROTO_UDP };
static const size_t sizes[] = { 20, 21, 100, 1239, 1240, 1241, 1460, 9000, 65000 };

static void t_tcp_udp_4to6(void)
{
	unsigned int p, i;

	for (p = 0; p < 2; p++)
		for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			struct spec s = { protos[p], 0, (uint8_t)(i * 37), 64, sizes[i] };

			check_4to6(&s);
		}
}

static void t_tcp_udp_6to4(void)
{
	unsigned int p, i;

	for (p = 0; p < 2; p++)
		for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			struct spec s = { protos[p], 0, (uint8_t)(i * 41), 63, sizes[i] };

			check_6to4(&s);
		}
}

static void t_icmp_echo(void)
{
	struct spec s = { IPPROTO_ICMP, ICMP_ECHO, 0xb8, 10, 64 };

	check_4to6(&s);
	s.icmp_type = ICMP_ECHOREPLY;
	s.l4len = 1001;		/* odd length */
	check_4to6(&s);
	s = (struct spec){ IPPROTO_ICMPV6, ICMPV6_ECHO_REQUEST, 0x20, 1, 56 };
	check_6to4(&s);
	s.icmp_type = ICMPV6_ECHO_REPLY;
	s.l4len = 1457;
	check_6to4(&s);
}

/* Many random packets: whichever transport, size, TOS, TTL. */
static void t_random(void)
{
	static const uint8_t p4[] = { IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP };
	static const uint8_t p6[] = { IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMPV6 };
	unsigned int i;

	for (i = 0; i < 2000; i++) {
		struct spec s = { p4[i % 3], i & 1 ? ICMP_ECHO : ICMP_ECHOREPLY,
				  (uint8_t)random(), (uint8_t)(1 + random() % 254),
				  20 + random() % 3000 };
		check_4to6(&s);
		s.proto = p6[i % 3];
		s.icmp_type = i & 1 ? ICMPV6_ECHO_REQUEST : ICMPV6_ECHO_REPLY;
		check_6to4(&s);
	}
}

/* A UDP checksum that comes out 0 must be sent as 0xffff, never as 0. */
static void t_udp_zero_result(void)
{
	struct spec s = { IPPROTO_UDP, 0, 0, 64, 12 };
	size_t len = build4(in, &s), outlen;
	unsigned int w, mangled = 0;

	/* one value of the last payload word makes the IPv6 sum come out 0 */
	for (w = 0; w <= 0xffff; w++) {
		in[30] = w >> 8;
		in[31] = w & 0xff;
		set_csum(in + 20, IPPROTO_UDP,
			 ref_pseudo(v4src, v4dst, 4, 12, IPPROTO_UDP), 12);
		EXPECT(do_4to6(in, len, len, out, &outlen) == 0);
		EXPECT(out[46] || out[47]);
		if (out[46] == 0xff && out[47] == 0xff) {
			EXPECT(l4_ok6(out));
			mangled++;
		}
	}
	EXPECT(mangled == 1);
}

static void t_ttl(void)
{
	struct spec s = { IPPROTO_TCP, 0, 0, 255, 40 };
	size_t len = build4(in, &s), outlen;

	EXPECT(do_4to6(in, len, len, out, &outlen) == 0);
	EXPECT(((struct ipv6hdr *)out)->hop_limit == 255);
	s.ttl = 1;
	len = build4(in, &s);
	EXPECT(do_4to6(in, len, len, out, &outlen) == 0);
	EXPECT(((struct ipv6hdr *)out)->hop_limit == 2);
}

static int drop4(const struct spec *s, void (*mangle)(uint8_t *buf, size_t *len))
{
	size_t len = build4(in, s), outlen;

	if (mangle)
		mangle(in, &len);
	return do_4to6(in, len, len < MAP646_XLAT_HDR_MAX ? len : MAP646_XLAT_HDR_MAX,
		       out, &outlen);
}

static int drop6(const struct spec *s, void (*mangle)(uint8_t *buf, size_t *len))
{
	size_t len = build6(in, s), outlen;

	if (mangle)
		mangle(in, &len);
	return do_6to4(in, len, len < MAP646_XLAT_HDR_MAX ? len : MAP646_XLAT_HDR_MAX,
		       out, &outlen);
}

static void mf(uint8_t *b, size_t *l) { (void)l; ((struct iphdr *)b)->frag_off = htons(IP_MF); }
static void offset(uint8_t *b, size_t *l) { (void)l; ((struct iphdr *)b)->frag_off = htons(185); }
static void df(uint8_t *b, size_t *l) { (void)l; ((struct iphdr *)b)->frag_off = htons(IP_DF); }
static void short4(uint8_t *b, size_t *l) { (void)b; *l = 19; }
static void ver4(uint8_t *b, size_t *l) { (void)l; ((struct iphdr *)b)->version = 6; }
static void ihl4(uint8_t *b, size_t *l) { (void)l; ((struct iphdr *)b)->ihl = 4; }
static void ihl15(uint8_t *b, size_t *l) { ((struct iphdr *)b)->ihl = 15; ((struct iphdr *)b)->tot_len = htons(40); *l = 40; }
static void totlen_big(uint8_t *b, size_t *l) { ((struct iphdr *)b)->tot_len = htons(*l + 1); }
static void cut_l4(uint8_t *b, size_t *l) { ((struct iphdr *)b)->tot_len = htons(30); *l = 30; }
static void udp0(uint8_t *b, size_t *l) { (void)l; b[26] = b[27] = 0; }
static void proto58(uint8_t *b, size_t *l) { (void)l; ((struct iphdr *)b)->protocol = 58; }
static void padded(uint8_t *b, size_t *l) { memset(b + *l, 0xee, 6); *l += 6; }

static void t_drops4(void)
{
	struct spec tcp = { IPPROTO_TCP, 0, 0, 64, 100 };
	struct spec udp = { IPPROTO_UDP, 0, 0, 64, 100 };
	struct spec tstamp = { IPPROTO_ICMP, ICMP_TIMESTAMP, 0, 64, 20 };
	size_t len, outlen;

	EXPECT(drop4(&tcp, mf) == 0);
	EXPECT(drop4(&tcp, offset) == 0);
	EXPECT(drop4(&tcp, df) == 0);
	EXPECT(drop4(&tcp, short4) == MAP646_STAT_DROP_MALFORMED);
	EXPECT(drop4(&tcp, ver4) == MAP646_STAT_DROP_MALFORMED);
	EXPECT(drop4(&tcp, ihl4) == MAP646_STAT_DROP_MALFORMED);
	EXPECT(drop4(&tcp, ihl15) == MAP646_STAT_DROP_MALFORMED);
	EXPECT(drop4(&tcp, totlen_big) == MAP646_STAT_DROP_MALFORMED);
	EXPECT(drop4(&tcp, cut_l4) == MAP646_STAT_DROP_MALFORMED);
	EXPECT(drop4(&udp, udp0) == MAP646_STAT_DROP_UDP_ZERO_CSUM);
	EXPECT(drop4(&tcp, proto58) == MAP646_STAT_DROP_PROTOCOL);
	EXPECT(drop4(&tstamp, NULL) == MAP646_STAT_DROP_ICMP);

	/* link-layer padding past tot_len is not translated */
	len = build4(in, &udp);
	padded(in, &len);
	EXPECT(do_4to6(in, len, len, out, &outlen) == 0);
	EXPECT(outlen == 40 + 100);
	EXPECT(l4_ok6(out));
}

static void nh(uint8_t *b, uint8_t v) { ((struct ipv6hdr *)b)->nexthdr = v; }
static void icmp4in6(uint8_t *b, size_t *l) { (void)l; nh(b, IPPROTO_ICMP); }
static void short6(uint8_t *b, size_t *l) { (void)b; *l = 39; }
static void ver6(uint8_t *b, size_t *l) { (void)l; b[0] = 0x40; }
static void jumbo(uint8_t *b, size_t *l) { (void)l; ((struct ipv6hdr *)b)->payload_len = 0; }
static void plen_big(uint8_t *b, size_t *l) { ((struct ipv6hdr *)b)->payload_len = htons(*l - 39); }
static void udp0_6(uint8_t *b, size_t *l) { (void)l; b[46] = b[47] = 0; }
static void outside(uint8_t *b, size_t *l) { (void)l; ((struct ipv6hdr *)b)->daddr.s6_addr[0] = 0x20; }

static void t_drops6(void)
{
	struct spec tcp = { IPPROTO_TCP, 0, 0, 64, 100 };
	struct spec udp = { IPPROTO_UDP, 0, 0, 64, 100 };
	struct spec ns = { IPPROTO_ICMPV6, 135, 0, 255, 24 };
	struct spec mld = { IPPROTO_ICMPV6, 143, 0, 1, 28 };

	EXPECT(drop6(&tcp, icmp4in6) == MAP646_STAT_DROP_PROTOCOL);
	EXPECT(drop6(&tcp, short6) == MAP646_STAT_DROP_MALFORMED);
	EXPECT(drop6(&tcp, ver6) == MAP646_STAT_DROP_MALFORMED);
	EXPECT(drop6(&tcp, jumbo) == MAP646_STAT_DROP_MALFORMED);
	EXPECT(drop6(&tcp, plen_big) == MAP646_STAT_DROP_MALFORMED);
	EXPECT(drop6(&udp, udp0_6) == MAP646_STAT_DROP_UDP_ZERO_CSUM);
	EXPECT(drop6(&tcp, outside) == MAP646_STAT_DROP_NOT_IN_PREFIX);
	EXPECT(drop6(&ns, NULL) == MAP646_STAT_DROP_ICMP);
	EXPECT(drop6(&mld, NULL) == MAP646_STAT_DROP_ICMP);
}

/* Unknown transports pass with the addresses changed, payload untouched. */
static void t_other_proto(void)
{
	struct spec sctp = { 132, 0, 0, 64, 64 };
	size_t len = build4(in, &sctp), outlen;

	EXPECT(do_4to6(in, len, len, out, &outlen) == 0);
	EXPECT(!memcmp(out + 40, in + 20, 64));
	EXPECT(((struct ipv6hdr *)out)->nexthdr == 132);
}

/* IPv4 options are dropped from the translation (RFC 7915 4.1). */
static void t_options(void)
{
	struct spec s = { IPPROTO_TCP, 0, 0, 64, 60 };
	size_t len = build4(in, &s), outlen;
	struct iphdr *ip = (void *)in;

	memmove(in + 24, in + 20, 60);
	memcpy(in + 20, "\x01\x01\x01\x00", 4);	/* NOP NOP NOP EOL */
	ip->ihl = 6;
	ip->tot_len = htons(len + 4);
	EXPECT(do_4to6(in, len + 4, len + 4, out, &outlen) == 0);
	EXPECT(outlen == 40 + 60);
	EXPECT(l4_ok6(out));
}

/* The table of the ICMP tests: 192.0.2.10 <-> 2001:db8:1::10 only. */
static struct one_mapping table = { .v4 = { 192, 0, 2, 10 } };
static const struct map646_xlat_ctx ctx = { &cfg, &table, one_map4, one_map6,
					    false };

/* An ICMPv4 error from the client about a UDP packet server -> client. */
static size_t build_err4(uint8_t *buf, uint8_t type, uint8_t code,
			 uint32_t word, size_t inner_payload)
{
	struct spec s = { IPPROTO_UDP, 0, 0, 9, 8 + inner_payload };
	struct iphdr *ip = (void *)buf, *in;
	size_t n;

	/* the inner packet first, at its final place */
	n = build4(buf + 28, &s);
	in = (void *)(buf + 28);
	memcpy(&in->saddr, v4dst, 4);	/* server -> client */
	memcpy(&in->daddr, v4src, 4);
	in->check = 0;
	in->check = htons(ref_fold(ref_sum(buf + 28, 20, 0)));
	set_csum(buf + 48, IPPROTO_UDP, ref_pseudo(v4dst, v4src, 4, 8 + inner_payload,
						   IPPROTO_UDP), 8 + inner_payload);
	memset(ip, 0, 28);
	ip->version = 4;
	ip->ihl = 5;
	ip->tot_len = htons(28 + n);
	ip->ttl = 64;
	ip->protocol = IPPROTO_ICMP;
	memcpy(&ip->saddr, v4src, 4);
	memcpy(&ip->daddr, v4dst, 4);
	ip->check = htons(ref_fold(ref_sum(buf, 20, 0)));
	buf[20] = type;
	buf[21] = code;
	word = htonl(word);
	memcpy(buf + 24, &word, 4);
	set_csum(buf + 20, IPPROTO_ICMP, 0, 8 + n);
	return 28 + n;
}

/* The next-hop MTUs the next err4to6() / err6to4() passes (none known). */
static uint32_t nh_mtu4 = UINT32_MAX, nh_mtu6 = UINT32_MAX;

/* ICMPv6 message checksum right? */
static bool icmp6_ok(const uint8_t *p, size_t len)
{
	(void)len;
	return l4_ok6(p);
}

static int err4to6(uint8_t type, uint8_t code, uint32_t word, size_t inner,
		   size_t *outlen)
{
	size_t len = build_err4(in, type, code, word, inner);
	struct map646_pkt pkt = { .l3 = in, .hlen = len, .len = len };
	unsigned int ol = 0;
	int err = map646_xlat_parse4(&pkt, &cfg);

	if (err)
		return err;
	EXPECT(pkt.icmp_err);
	err = map646_xlat_icmp_4to6(&pkt, &ctx, &v6client, &v6server, nh_mtu4,
				    nh_mtu6, out, &ol);
	*outlen = ol;
	return err;
}

/* RFC 7915 4.2, the type and code table, one row at a time. */
static void t_icmp4_table(void)
{
	static const struct { uint8_t t, c, t6, c6; uint32_t ptr6; } map[] = {
		{ 3, 0, 1, 0, 0 }, { 3, 1, 1, 0, 0 }, { 3, 2, 4, 1, 6 },
		{ 3, 3, 1, 4, 0 }, { 3, 5, 1, 0, 0 }, { 3, 6, 1, 0, 0 },
		{ 3, 7, 1, 0, 0 }, { 3, 8, 1, 0, 0 }, { 3, 9, 1, 1, 0 },
		{ 3, 10, 1, 1, 0 }, { 3, 11, 1, 0, 0 }, { 3, 12, 1, 0, 0 },
		{ 3, 13, 1, 1, 0 }, { 3, 15, 1, 1, 0 },
		{ 11, 0, 3, 0, 0 }, { 11, 1, 3, 1, 0 },
	};
	static const uint8_t dropped[][2] = {
		{ 3, 14 }, { 3, 16 }, { 4, 0 }, { 5, 0 }, { 5, 1 }, { 9, 0 },
		{ 10, 0 }, { 11, 2 }, { 12, 1 }, { 13, 0 }, { 14, 0 }, { 15, 0 },
		{ 16, 0 }, { 17, 0 }, { 18, 0 },
	};
	unsigned int i;
	size_t ol;

	for (i = 0; i < ARRAY_SIZE(map); i++) {
		EXPECT(err4to6(map[i].t, map[i].c, 0, 16, &ol) == 0);
		EXPECT(out[40] == map[i].t6 && out[41] == map[i].c6);
		EXPECT(ntohl(*(uint32_t *)(out + 44)) == map[i].ptr6);
		EXPECT(icmp6_ok(out, ol));
		/* the embedded packet, translated: server -> client */
		EXPECT(!memcmp(out + 48 + 8, &v6server, 16));
		EXPECT(!memcmp(out + 48 + 24, &v6client, 16));
		EXPECT(out[48 + 7] == 9);	/* inner hop limit kept */
		EXPECT(l4_ok6(out + 48));
	}
	for (i = 0; i < ARRAY_SIZE(dropped); i++)
		EXPECT(err4to6(dropped[i][0], dropped[i][1], 0, 16, &ol) != 0);
}

/* RFC 7915 figure 3, and the MTU arithmetic of Packet Too Big. */
static void t_icmp4_ptr_mtu(void)
{
	static const int ptr6[20] = { 0, 1, 4, 4, -1, -1, -1, -1, 7, 6,
				      -1, -1, 8, 8, 8, 8, 24, 24, 24, 24 };
	/* nh4, nh6: next-hop MTUs, 0 for none known */
	static const struct {
		uint16_t mtu; size_t inner; uint32_t nh4, nh6, mtu6;
	} ptb[] = {
		{ 1400, 16, 0, 0, 1420 }, { 1260, 16, 0, 0, 1280 },
		{ 1000, 16, 0, 0, 1280 }, { 68, 16, 0, 0, 1280 },
		{ 65515, 16, 0, 0, 65535 },
		/* no MTU: the RFC 1191 plateau below the inner total length */
		{ 0, 1500 - 28, 0, 0, 1492 + 20 }, { 0, 2002 - 28, 0, 0, 1492 + 20 },
		{ 0, 4400 - 28, 0, 0, 4352 + 20 }, { 0, 1006 - 28, 0, 0, 1280 },
		/* RFC 7915 4.2: minimum(MTU + 20, IPv6 next hop, IPv4 next hop + 20) */
		{ 1500, 16, 1500, 1500, 1500 }, { 0, 1500 - 28, 1500, 1500, 1500 },
		{ 0, 1500 - 28, 9000, 9000, 1512 }, { 1400, 16, 1500, 1300, 1300 },
		{ 1400, 16, 1350, 1500, 1370 }, { 1400, 16, 1500, 1500, 1420 },
		{ 1400, 16, 1000, 1500, 1280 }, { 1400, 16, 1500, 1100, 1280 },
		{ 65515, 16, 0, 9000, 9000 }, { 65515, 16, 65535, 0, 65535 },
	};
	unsigned int i;
	size_t ol;

	for (i = 0; i < 24; i++) {
		int err = err4to6(12, 0, i << 24, 16, &ol);

		if (i < 20 && ptr6[i] >= 0) {
			EXPECT(err == 0);
			EXPECT(out[40] == 4 && out[41] == 0);
			EXPECT(ntohl(*(uint32_t *)(out + 44)) == (uint32_t)ptr6[i]);
		} else {
			EXPECT(err != 0);
		}
	}
	for (i = 0; i < ARRAY_SIZE(ptb); i++) {
		nh_mtu4 = ptb[i].nh4 ?: UINT32_MAX;
		nh_mtu6 = ptb[i].nh6 ?: UINT32_MAX;
		EXPECT(err4to6(3, 4, ptb[i].mtu, ptb[i].inner, &ol) == 0);
		EXPECT(out[40] == 2 && out[41] == 0);
		EXPECT(ntohl(*(uint32_t *)(out + 44)) == ptb[i].mtu6);
		EXPECT(icmp6_ok(out, ol));
	}
	nh_mtu4 = nh_mtu6 = UINT32_MAX;
}

/* RFC 7915 4.2: the result is cut to 1280 bytes, checksums still right. */
static void t_icmp4_truncate(void)
{
	size_t ol;

	EXPECT(err4to6(3, 3, 0, 1400, &ol) == 0);
	EXPECT(ol == 1280);
	EXPECT(ntohs(((struct ipv6hdr *)out)->payload_len) == 1240);
	EXPECT(icmp6_ok(out, ol));
	/* the inner length field still says what the packet was */
	EXPECT(ntohs(((struct ipv6hdr *)(out + 48))->payload_len) == 8 + 1400);
	EXPECT(err4to6(3, 3, 0, 1, &ol) == 0);	/* odd length */
	EXPECT(ol == 48 + 40 + 9 && icmp6_ok(out, ol));
}

/* RFC 4884: an extension keeps a consistent length field, or goes. */
static void t_icmp4_ext(void)
{
	size_t len;
	struct map646_pkt pkt;
	unsigned int n;

	/* 28-byte original datagram, padded to 128, then a 20-byte extension */
	len = build_err4(in, 3, 3, 0, 0);	/* inner: 20 + 8 */
	memset(in + len, 0, 100);
	memset(in + len + 100, 0xab, 20);
	in[25] = 32;				/* length: 128 bytes */
	((struct iphdr *)in)->tot_len = htons(len + 120);
	len += 120;
	set_csum(in + 20, IPPROTO_ICMP, 0, len - 20);
	pkt = (struct map646_pkt){ .l3 = in, .hlen = len, .len = len };
	EXPECT(map646_xlat_parse4(&pkt, &cfg) == 0);
	EXPECT(map646_xlat_icmp_4to6(&pkt, &ctx, &v6client, &v6server, UINT32_MAX,
				     UINT32_MAX, out, &n) == 0);
	/* 128 bytes of datagram become 148, cut to a multiple of 8 */
	EXPECT(out[44] == 144 / 8);
	EXPECT(n == 48 + 144 + 20);
	EXPECT(out[48 + 144] == 0xab && out[n - 1] == 0xab);
	EXPECT(out[48 + 40 + 8] == 0 && out[48 + 143] == 0);	/* padding */
	EXPECT(icmp6_ok(out, n));

	/* an extension too big to keep with 128 bytes of datagram: dropped */
	len = build_err4(in, 3, 3, 0, 100);	/* inner: 20 + 8 + 100 */
	memset(in + len, 0xab, 1200);
	in[25] = 128 / 4;
	((struct iphdr *)in)->tot_len = htons(len + 1200);
	len += 1200;
	set_csum(in + 20, IPPROTO_ICMP, 0, len - 20);
	pkt = (struct map646_pkt){ .l3 = in, .hlen = len, .len = len };
	EXPECT(map646_xlat_parse4(&pkt, &cfg) == 0);
	EXPECT(map646_xlat_icmp_4to6(&pkt, &ctx, &v6client, &v6server, UINT32_MAX,
				     UINT32_MAX, out, &n) == 0);
	EXPECT(out[44] == 0);
	EXPECT(n == 48 + 148);
	EXPECT(icmp6_ok(out, n));
}

static size_t build_err6(uint8_t *buf, uint8_t type, uint8_t code,
			 uint32_t word, size_t inner_payload)
{
	struct spec s = { IPPROTO_UDP, 0, 0, 9, 8 + inner_payload };
	struct ipv6hdr *ip6 = (void *)buf, *in6;
	size_t n;

	/* the inner packet: client -> server, as the server got it */
	n = build6(buf + 48, &s);
	in6 = (void *)(buf + 48);
	in6->saddr = v6client;
	in6->daddr = v6server;
	set_csum(buf + 88, IPPROTO_UDP, ref_pseudo(&v6client, &v6server, 16,
						   8 + inner_payload, IPPROTO_UDP),
		 8 + inner_payload);
	memset(ip6, 0, 48);
	*(uint32_t *)ip6 = htonl(0x60000000);
	ip6->payload_len = htons(8 + n);
	ip6->nexthdr = IPPROTO_ICMPV6;
	ip6->hop_limit = 64;
	ip6->saddr = v6server;
	ip6->daddr = v6client;
	buf[40] = type;
	buf[41] = code;
	word = htonl(word);
	memcpy(buf + 44, &word, 4);
	set_csum(buf + 40, IPPROTO_ICMPV6, ref_pseudo(&v6server, &v6client, 16,
						      8 + n, IPPROTO_ICMPV6), 8 + n);
	return 48 + n;
}

static int err6to4(uint8_t type, uint8_t code, uint32_t word, size_t inner,
		   size_t *outlen)
{
	size_t len = build_err6(in, type, code, word, inner);
	struct map646_pkt pkt = { .l3 = in, .hlen = len, .len = len };
	unsigned int ol = 0;
	__be32 s4, d4;
	int err = map646_xlat_parse6(&pkt);

	if (err)
		return err;
	EXPECT(pkt.icmp_err);
	memcpy(&s4, v4dst, 4);
	memcpy(&d4, v4src, 4);
	err = map646_xlat_icmp_6to4(&pkt, &ctx, s4, d4, nh_mtu4, nh_mtu6, out, &ol);
	*outlen = ol;
	return err;
}

/* RFC 7915 5.2: the table, pointers and MTUs, the other way. */
static void t_icmp6_table(void)
{
	static const struct { uint8_t t, c, t4, c4; } map[] = {
		{ 1, 0, 3, 1 }, { 1, 1, 3, 10 }, { 1, 2, 3, 1 }, { 1, 3, 3, 1 },
		{ 1, 4, 3, 3 }, { 3, 0, 11, 0 }, { 3, 1, 11, 1 }, { 4, 1, 3, 2 },
	};
	static const uint8_t dropped[][2] = {
		{ 1, 5 }, { 1, 6 }, { 3, 2 }, { 4, 2 }, { 4, 3 }, { 100, 0 },
		{ 127, 0 },
	};
	static const int ptr4[41] = {
		0, 1, -1, -1, 2, 2, 9, 8, 12, 12, 12, 12, 12, 12, 12, 12, 12,
		12, 12, 12, 12, 12, 12, 12, 16, 16, 16, 16, 16, 16, 16, 16,
		16, 16, 16, 16, 16, 16, 16, 16, -1,
	};
	/* nh4, nh6: next-hop MTUs, 0 for none known */
	static const struct { uint32_t mtu6, nh4, nh6; uint16_t mtu4; } ptb[] = {
		{ 1280, 0, 0, 1260 }, { 1500, 0, 0, 1480 }, { 9000, 0, 0, 8980 },
		{ 0xffffffff, 0, 0, 65535 },
		/* RFC 7915 5.2: minimum(MTU - 20, IPv4 next hop, IPv6 next hop - 20) */
		{ 9000, 1500, 1500, 1480 }, { 1500, 1500, 1500, 1480 },
		{ 1400, 1300, 1500, 1300 }, { 1400, 1500, 1350, 1330 },
		{ 1400, 1500, 1500, 1380 }, { 1280, 9000, 9000, 1260 },
		{ 9000, 0, 1500, 1480 }, { 9000, 1400, 0, 1400 },
		/* an MTU of 20 or less says nothing: the next hops decide */
		{ 0, 1500, 1500, 1480 }, { 20, 1500, 1500, 1480 },
		{ 0, 1500, 0, 1500 }, { 0, 0, 0, 65535 }, { 0, 0, 9000, 8980 },
		{ 21, 1500, 1500, 1 },
	};
	unsigned int i;
	size_t ol;

	for (i = 0; i < ARRAY_SIZE(map); i++) {
		EXPECT(err6to4(map[i].t, map[i].c, 0, 16, &ol) == 0);
		EXPECT(out[20] == map[i].t4 && out[21] == map[i].c4);
		EXPECT(ref_fold(ref_sum(out + 20, ol - 20, 0)) == 0);
		EXPECT(ref_fold(ref_sum(out, 20, 0)) == 0);
		EXPECT(!memcmp(out + 28 + 12, v4src, 4));	/* client -> */
		EXPECT(!memcmp(out + 28 + 16, v4dst, 4));	/* server */
		EXPECT(out[28 + 8] == 9);
		EXPECT(ref_fold(ref_sum(out + 28, 20, 0)) == 0);
		EXPECT(l4_ok4(out + 28));
	}
	for (i = 0; i < ARRAY_SIZE(dropped); i++)
		EXPECT(err6to4(dropped[i][0], dropped[i][1], 0, 16, &ol) != 0);
	for (i = 0; i < ARRAY_SIZE(ptr4); i++) {
		int err = err6to4(4, 0, i, 16, &ol);

		if (ptr4[i] >= 0) {
			EXPECT(err == 0);
			EXPECT(out[20] == 12 && out[21] == 0 && out[24] == ptr4[i]);
		} else {
			EXPECT(err != 0);
		}
	}
	for (i = 0; i < ARRAY_SIZE(ptb); i++) {
		nh_mtu4 = ptb[i].nh4 ?: UINT32_MAX;
		nh_mtu6 = ptb[i].nh6 ?: UINT32_MAX;
		EXPECT(err6to4(2, 0, ptb[i].mtu6, 16, &ol) == 0);
		EXPECT(out[20] == 3 && out[21] == 4);
		EXPECT(((out[26] << 8) | out[27]) == ptb[i].mtu4);
	}
	nh_mtu4 = nh_mtu6 = UINT32_MAX;
	/* cut to 576 bytes */
	EXPECT(err6to4(1, 4, 0, 1000, &ol) == 0);
	EXPECT(ol == 576 && ntohs(((struct iphdr *)out)->tot_len) == 576);
	EXPECT(ref_fold(ref_sum(out + 20, ol - 20, 0)) == 0);
}

/* Fragment header in and out (RFC 7915 4.1, 5.1). */
static void t_fragments(void)
{
	struct spec s = { IPPROTO_UDP, 0, 0, 64, 100 };
	size_t len = build4(in, &s), whole, fraglen;
	uint8_t ref[200], orig[200];
	struct frag_hdr *fh;

	/* the first fragment's checksum is updated like the whole packet's */
	memcpy(orig, in, len);
	EXPECT(do_4to6(in, len, len, ref, &whole) == 0);
	memcpy(in, orig, len);
	((struct iphdr *)in)->frag_off = htons(IP_MF);
	((struct iphdr *)in)->id = htons(0xbeef);
	EXPECT(do_4to6(in, len, len, out, &fraglen) == 0);
	EXPECT(fraglen == whole + 8);
	EXPECT(((struct ipv6hdr *)out)->nexthdr == NEXTHDR_FRAGMENT);
	fh = (struct frag_hdr *)(out + 40);
	EXPECT(fh->nexthdr == IPPROTO_UDP && ntohs(fh->frag_off) == IP6_MF);
	EXPECT(ntohl(fh->identification) == 0xbeef);
	EXPECT(ntohs(((struct ipv6hdr *)out)->payload_len) == 8 + 100);
	EXPECT(!memcmp(out + 48, ref + 40, 100));
	/* a later fragment: offset kept, transport bytes untouched */
	((struct iphdr *)in)->frag_off = htons(IP_MF | 37);
	memcpy(ref, in + 20, 100);
	EXPECT(do_4to6(in, len, len, out, &fraglen) == 0);
	fh = (struct frag_hdr *)(out + 40);
	EXPECT(ntohs(fh->frag_off) == (37 << 3 | IP6_MF));
	EXPECT(!memcmp(out + 48, ref, 100));
	/* and a fragmented echo cannot be translated */
	s = (struct spec){ IPPROTO_ICMP, ICMP_ECHO, 0, 64, 40 };
	len = build4(in, &s);
	((struct iphdr *)in)->frag_off = htons(IP_MF);
	EXPECT(do_4to6(in, len, len, out, &fraglen) == MAP646_STAT_DROP_FRAGMENT);
}

/* IPv6 extension headers: skipped, or refused with the right reason. */
static void t_exthdrs(void)
{
	struct spec s = { IPPROTO_UDP, 0, 0, 64, 50 };
	size_t len = build6(in, &s), outlen;
	uint8_t save[200];
	struct map646_pkt pkt;

	/* insert Hop-by-Hop, Destination Options, Routing (segments left 0) */
	memcpy(save, in + 40, 50);
	memset(in + 40, 0, 24);
	in[40] = NEXTHDR_DEST;		/* HbH: next = DestOpt, len 0, PadN */
	in[42] = 1; in[43] = 4;
	in[48] = NEXTHDR_ROUTING;	/* DestOpt */
	in[50] = 1; in[51] = 4;
	in[56] = IPPROTO_UDP;		/* Routing type 0, segments left 0 */
	memcpy(in + 64, save, 50);
	((struct ipv6hdr *)in)->nexthdr = NEXTHDR_HOP;
	((struct ipv6hdr *)in)->payload_len = htons(24 + 50);
	len += 24;
	EXPECT(do_6to4(in, len, len, out, &outlen) == 0);
	EXPECT(outlen == 20 + 50);
	EXPECT(l4_ok4(out));
	/* segments left 1: Parameter Problem pointing at that field */
	in[59] = 1;
	pkt = (struct map646_pkt){ .l3 = in, .hlen = len, .len = len };
	EXPECT(map646_xlat_parse6(&pkt) == MAP646_STAT_DROP_ROUTING);
	EXPECT(pkt.err_ptr == 40 + 16 + 3);
	in[59] = 0;
	/* an extension header after a Fragment header: cannot be removed */
	in[48] = NEXTHDR_FRAGMENT;	/* DestOpt's next: Fragment */
	in[56] = NEXTHDR_DEST;		/* which is followed by DestOpt */
	pkt = (struct map646_pkt){ .l3 = in, .hlen = len, .len = len };
	EXPECT(map646_xlat_parse6(&pkt) == MAP646_STAT_DROP_EXTHDR);
	/* a chain longer than the contiguous part: the parser asks for more */
	in[48] = NEXTHDR_ROUTING;
	in[56] = IPPROTO_UDP;
	pkt = (struct map646_pkt){ .l3 = in, .hlen = 60, .len = len };
	EXPECT(map646_xlat_parse6(&pkt) == MAP646_XLAT_NEED);
	EXPECT(pkt.need > 60 && pkt.need <= len);
}

static void addr(const char *s, struct in6_addr *a)
{
	EXPECT(inet_pton(AF_INET6, s, a) == 1);
}

/* RFC 6052 section 2.4, the examples table. */
static void t_rfc6052_examples(void)
{
	static const struct { const char *pfx; int len; const char *res; } ex[] = {
		{ "2001:db8::", 32, "2001:db8:c000:221::" },
		{ "2001:db8:100::", 40, "2001:db8:1c0:2:21::" },
		{ "2001:db8:122::", 48, "2001:db8:122:c000:2:2100::" },
		{ "2001:db8:122:300::", 56, "2001:db8:122:3c0:0:221::" },
		{ "2001:db8:122:344::", 64, "2001:db8:122:344:c0:2:2100:0" },
		{ "2001:db8:122:344::", 96, "2001:db8:122:344::192.0.2.33" },
		{ "64:ff9b::", 96, "64:ff9b::192.0.2.33" },
	};
	unsigned int i;
	__be32 v4, back;

	inet_pton(AF_INET, "192.0.2.33", &v4);
	for (i = 0; i < sizeof(ex) / sizeof(ex[0]); i++) {
		struct map646_prefix p = { .len = ex[i].len };
		struct in6_addr want, got;

		addr(ex[i].pfx, &p.addr);
		addr(ex[i].res, &want);
		EXPECT(map646_prefix_check(&p.addr, p.len) == MAP646_PREFIX_OK);
		map646_prefix_embed(&p, v4, &got);
		EXPECT(!memcmp(&got, &want, 16));
		back = 0;
		EXPECT(map646_prefix_extract(&p, &want, &back));
		EXPECT(back == v4);
		want.s6_addr[0] ^= 1;
		EXPECT(!map646_prefix_extract(&p, &want, &back));
	}
}

static void t_prefix_check(void)
{
	struct in6_addr a;

	addr("64:ff9b::", &a);
	EXPECT(map646_prefix_check(&a, 95) == MAP646_PREFIX_BAD_LEN);
	EXPECT(map646_prefix_check(&a, 128) == MAP646_PREFIX_BAD_LEN);
	EXPECT(map646_prefix_check(&a, 0) == MAP646_PREFIX_BAD_LEN);
	EXPECT(map646_prefix_check(&a, 32) == MAP646_PREFIX_OK);
	addr("64:ff9b::1:0:0", &a);
	EXPECT(map646_prefix_check(&a, 96) == MAP646_PREFIX_OK);
	EXPECT(map646_prefix_check(&a, 64) == MAP646_PREFIX_HOST_BITS);
	addr("2001:db8:0:0:100::", &a);		/* bit 71 set: the u octet */
	EXPECT(map646_prefix_check(&a, 96) == MAP646_PREFIX_U_OCTET);
	addr("2001:db8::1", &a);
	EXPECT(map646_prefix_check(&a, 96) == MAP646_PREFIX_HOST_BITS);
}

/* Addresses that never cross: RFC 6890 with any prefix, RFC 6052 3.1. */
static void t_check4(void)
{
	static const char *const never[] = {
		"0.0.0.0", "0.255.255.255", "127.0.0.1", "127.255.255.254",
		"169.254.1.1", "192.0.0.8", "192.0.0.11", "192.0.0.170",
		"192.0.0.255", "224.0.0.1", "239.255.255.255", "240.0.0.1",
		"255.255.255.254", "255.255.255.255",
	};
	static const char *const private[] = {
		"10.1.2.3", "100.64.0.1", "172.16.0.1", "192.168.1.1",
		"198.18.0.1", "192.0.0.1", "192.0.0.9",
	};
	static const char *const fine[] = {
		"1.0.0.1", "126.255.255.255", "128.0.0.1", "169.253.255.255",
		"192.0.1.0", "192.0.2.1", "198.51.100.7", "203.0.113.8",
		"223.255.255.255",
	};
	struct map646_cfg nsp = cfg;	/* a network-specific prefix */
	unsigned int i;
	__be32 a;

	addr("2001:db8:100::", &nsp.prefix.addr);
	nsp.prefix.len = 40;
	for (i = 0; i < ARRAY_SIZE(never); i++) {
		inet_pton(AF_INET, never[i], &a);
		EXPECT(map646_xlat_check4(&cfg, a) == MAP646_STAT_DROP_UNFORWARDABLE);
		EXPECT(map646_xlat_check4(&nsp, a) == MAP646_STAT_DROP_UNFORWARDABLE);
	}
	for (i = 0; i < ARRAY_SIZE(private); i++) {
		inet_pton(AF_INET, private[i], &a);
		EXPECT(map646_xlat_check4(&cfg, a) == MAP646_STAT_DROP_NONGLOBAL);
		EXPECT(map646_xlat_check4(&nsp, a) == 0);
	}
	for (i = 0; i < ARRAY_SIZE(fine); i++) {
		inet_pton(AF_INET, fine[i], &a);
		EXPECT(map646_xlat_check4(&cfg, a) == 0);
		EXPECT(map646_xlat_check4(&nsp, a) == 0);
	}
}

int main(void)
{
	srandom(646);
	addr("2001:db8:1::10", &v6server);
	table.v6 = v6server;
	addr("64:ff9b::198.51.100.7", &v6client);
	addr("64:ff9b::", &cfg.prefix.addr);
	cfg.prefix.len = 96;

	printf("TAP version 13\n1..20\n");
	run("rfc6052_examples", t_rfc6052_examples);
	run("rfc6052_prefix_check", t_prefix_check);
	run("xlat_check4_rfc6890_rfc6052", t_check4);
	run("xlat_tcp_udp_4to6", t_tcp_udp_4to6);
	run("xlat_tcp_udp_6to4", t_tcp_udp_6to4);
	run("xlat_icmp_echo", t_icmp_echo);
	run("xlat_random_2000", t_random);
	run("xlat_udp_zero_result", t_udp_zero_result);
	run("xlat_ttl_compensation", t_ttl);
	run("xlat_drops_4to6", t_drops4);
	run("xlat_drops_6to4", t_drops6);
	run("xlat_other_protocol", t_other_proto);
	run("xlat_ipv4_options", t_options);
	run("xlat_fragments", t_fragments);
	run("xlat_ipv6_exthdrs", t_exthdrs);
	run("icmp_4to6_type_code_table", t_icmp4_table);
	run("icmp_4to6_pointers_and_mtu", t_icmp4_ptr_mtu);
	run("icmp_4to6_truncate_1280", t_icmp4_truncate);
	run("icmp_4to6_rfc4884_extension", t_icmp4_ext);
	run("icmp_6to4_table_pointers_mtu", t_icmp6_table);
	printf("# host: %d passed, %d failed\n", tests - failures, failures);
	return failures ? 1 : 0;
}
