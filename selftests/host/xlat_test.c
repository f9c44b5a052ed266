// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of the translation core (kmod/xlat.c, kmod/rfc6052.c).
 * Checksums are verified with an independent, byte-wise RFC 1071 sum, not
 * with the helpers the code under test uses. Output: KTAP-style lines.
 */
#include <stdio.h>
#include <linux/map646.h>
#include "rfc6052.h"
#include "xlat.h"

static int tests, failures;
static bool case_ok;

#define EXPECT(cond) do {						\
	if (!(cond)) {							\
		printf("# %s:%d: expected %s\n", __FILE__, __LINE__, #cond); \
		case_ok = false;					\
	}								\
} while (0)

static void run(const char *name, void (*fn)(void))
{
	case_ok = true;
	fn();
	tests++;
	if (!case_ok)
		failures++;
	printf("%sok %d %s\n", case_ok ? "" : "not ", tests, name);
}

/* RFC 1071, big-endian words, independent of the code under test. */
static uint32_t ref_sum(const uint8_t *p, size_t len, uint32_t sum)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (p[i] << 8) | p[i + 1];
	if (len & 1)
		sum += p[len - 1] << 8;
	return sum;
}

static uint16_t ref_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

/* Pseudo-header sum: addresses, upper-layer length, protocol. */
static uint32_t ref_pseudo(const void *saddr, const void *daddr, size_t alen,
			   size_t l4len, uint8_t proto)
{
	uint32_t sum = ref_sum(saddr, alen, 0);

	sum = ref_sum(daddr, alen, sum);
	return sum + (l4len >> 16) + (l4len & 0xffff) + proto;
}

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

int main(void)
{
	srandom(646);
	addr("2001:db8:1::10", &v6server);
	addr("64:ff9b::198.51.100.7", &v6client);
	addr("64:ff9b::", &cfg.prefix.addr);
	cfg.prefix.len = 96;

	printf("TAP version 13\n1..12\n");
	run("rfc6052_examples", t_rfc6052_examples);
	run("rfc6052_prefix_check", t_prefix_check);
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
	printf("# host: %d passed, %d failed\n", tests - failures, failures);
	return failures ? 1 : 0;
}
