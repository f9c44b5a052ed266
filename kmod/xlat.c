// SPDX-License-Identifier: GPL-2.0
/*
 * Header translation, RFC 7915 sections 4.1 and 5.1: pure functions on
 * packet memory, no netdevice, no locks, no allocation. Transport checksums
 * are updated incrementally: only the pseudo-header (and, for ICMP, the
 * type) changes, which also holds for the first fragment of a datagram.
 */
#include <linux/map646.h>
#include "xlat.h"
#include "xlat_int.h"

/* RFC 7915 5.1: DF is set only when the IPv4 packet is larger than this. */
#define MAP646_DF_THRESHOLD 1260

#define IPOPT_LSRR_TYPE 131
#define IPOPT_SSRR_TYPE 137

__sum16 map646_csum_update(__sum16 check, __wsum sub, __wsum add)
{
	return csum_fold(csum_add(csum_sub(~csum_unfold(check), sub), add));
}

/* The same for a CHECKSUM_PARTIAL field, which holds the uninverted sum. */
static __sum16 csum_update_partial(__sum16 check, __wsum sub, __wsum add)
{
	return ~csum_fold(csum_add(csum_sub(csum_unfold(check), sub), add));
}

__wsum map646_icmp_type_sum(u8 type, u8 code)
{
	u8 word[2] = { type, code };

	return csum_partial(word, sizeof(word), 0);
}

/*
 * The ones' complement sum of a header's two addresses, the pseudo-header
 * part every translated TCP and UDP checksum trades, in plain adds: what
 * csum_partial() returns for them without its call and its loops.
 */
static __wsum addrs4_sum(const struct iphdr *ip4)
{
	return csum_add((__force __wsum)ip4->saddr, (__force __wsum)ip4->daddr);
}

static __wsum addrs6_sum(const struct ipv6hdr *ip6)
{
	__wsum sum = 0;
	unsigned int i;

	for (i = 0; i < 4; i++)
		sum = csum_add(csum_add(sum, (__force __wsum)ip6->saddr.s6_addr32[i]),
			       (__force __wsum)ip6->daddr.s6_addr32[i]);
	return sum;
}

/* Sum of the ICMPv6 pseudo-header (RFC 8200 8.1); ICMPv4 has none. */
__wsum map646_icmp6_pseudo_sum(const struct in6_addr *saddr,
			       const struct in6_addr *daddr, unsigned int len)
{
	__wsum sum = csum_partial(saddr, sizeof(*saddr), 0);

	sum = csum_partial(daddr, sizeof(*daddr), sum);
	sum = csum_add(sum, (__force __wsum)htonl(len));
	return csum_add(sum, (__force __wsum)htonl(IPPROTO_ICMPV6));
}

/**
 * map646_l4_need() - transport header bytes the translation touches
 * @proto: transport protocol
 *
 * Return: bytes from the start of the transport header, 0 if untouched.
 */
unsigned int map646_l4_need(u8 proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return sizeof(struct tcphdr);
	case IPPROTO_UDP:
		return sizeof(struct udphdr);
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		return sizeof(struct icmphdr);
	default:
		return 0;
	}
}

static bool icmp4_is_error(u8 type)
{
	return type == ICMP_DEST_UNREACH || type == ICMP_TIME_EXCEEDED ||
	       type == ICMP_PARAMETERPROB;
}

static bool icmp6_is_error(u8 type)
{
	return type == ICMPV6_DEST_UNREACH || type == ICMPV6_PKT_TOOBIG ||
	       type == ICMPV6_TIME_EXCEED || type == ICMPV6_PARAMPROB;
}

/* struct map646_pkt's @hops for a header's TTL / hop limit */
static u8 hop_compensate(u8 ttl)
{
	return ttl < 255 ? ttl + 1 : ttl;
}

/* Checks on the transport header, common to both directions. */
static int parse_l4(struct map646_pkt *pkt)
{
	const u8 *l4 = (const u8 *)pkt->l3 + pkt->l3len;
	unsigned int need = pkt->l3len + map646_l4_need(pkt->proto);

	if (pkt->frag && pkt->frag_off)	/* no transport header here */
		return pkt->proto == IPPROTO_ICMP || pkt->proto == IPPROTO_ICMPV6 ?
		       MAP646_STAT_DROP_FRAGMENT : 0;
	if (unlikely(need > pkt->len))
		return MAP646_STAT_DROP_MALFORMED;
	if (unlikely(need > pkt->hlen)) {
		pkt->need = need;
		return MAP646_XLAT_NEED;
	}

	switch (pkt->proto) {
	case IPPROTO_ICMP:
		if (unlikely(pkt->mf))
			return MAP646_STAT_DROP_FRAGMENT;
		if (l4[0] == ICMP_ECHO || l4[0] == ICMP_ECHOREPLY)
			return 0;
		pkt->icmp_err = icmp4_is_error(l4[0]);
		return pkt->icmp_err ? 0 : MAP646_STAT_DROP_ICMP;
	case IPPROTO_ICMPV6:
		/* an atomic fragment (RFC 6946) is a whole message */
		if (unlikely(pkt->mf))
			return MAP646_STAT_DROP_FRAGMENT;
		if (l4[0] == ICMPV6_ECHO_REQUEST || l4[0] == ICMPV6_ECHO_REPLY)
			return 0;
		pkt->icmp_err = icmp6_is_error(l4[0]);
		return pkt->icmp_err ? 0 : MAP646_STAT_DROP_ICMP;
	}
	return 0;
}

/* RFC 7915 4.1: an unexpired source route option stops translation. */
static bool ip4_source_routed(const u8 *opt, unsigned int len)
{
	unsigned int i = 0, olen;

	while (i < len) {
		if (opt[i] == IPOPT_END)
			break;
		if (opt[i] == IPOPT_NOOP) {
			i++;
			continue;
		}
		if (i + 1 >= len || opt[i + 1] < 2 || i + opt[i + 1] > len)
			break;	/* malformed options are ignored like the rest */
		olen = opt[i + 1];
		if ((opt[i] == IPOPT_LSRR_TYPE || opt[i] == IPOPT_SSRR_TYPE) &&
		    olen >= 3 && opt[i + 2] <= olen)
			return true;
		i += olen;
	}
	return false;
}

/**
 * map646_xlat_parse4() - check that an IPv4 packet can be translated
 * @pkt: packet; the parsed fields are filled in, @len trimmed
 * @cfg: settings (the UDP zero checksum policy)
 *
 * Return: 0, MAP646_XLAT_NEED with @pkt->need set, or the enum map646_stat
 * reason to drop it.
 */
int map646_xlat_parse4(struct map646_pkt *pkt, const struct map646_cfg *cfg)
{
	const struct iphdr *ip4 = pkt->l3;
	unsigned int tot_len;
	int err;

	if (unlikely(pkt->hlen < sizeof(*ip4) || ip4->version != 4 ||
		     ip4->ihl < 5 || ip4->ihl * 4 > pkt->hlen))
		return MAP646_STAT_DROP_MALFORMED;
	tot_len = ntohs(ip4->tot_len);
	if (unlikely(tot_len < ip4->ihl * 4 || tot_len > pkt->len))
		return MAP646_STAT_DROP_MALFORMED;

	pkt->len = tot_len;
	pkt->l3len = ip4->ihl * 4;
	pkt->proto = ip4->protocol;
	pkt->df = ip4->frag_off & htons(IP_DF);
	pkt->mf = ip4->frag_off & htons(IP_MF);
	pkt->frag_off = ntohs(ip4->frag_off) & IP_OFFSET;
	pkt->frag = pkt->mf || pkt->frag_off;
	pkt->frag_id = htonl(ntohs(ip4->id));
	pkt->icmp_err = false;
	pkt->hops = hop_compensate(ip4->ttl);

	if (unlikely(pkt->proto == IPPROTO_ICMPV6))
		return MAP646_STAT_DROP_PROTOCOL;
	if (unlikely(pkt->l3len > sizeof(*ip4) &&
		     ip4_source_routed((const u8 *)(ip4 + 1),
				       pkt->l3len - sizeof(*ip4))))
		return MAP646_STAT_DROP_SRC_ROUTE;
	err = parse_l4(pkt);
	if (err || pkt->proto != IPPROTO_UDP || (pkt->frag && pkt->frag_off))
		return err;
	if (unlikely(!((struct udphdr *)((u8 *)ip4 + pkt->l3len))->check)) {
		/* computing it needs the whole datagram */
		if (pkt->frag || !cfg->udp_zero_csum)
			return MAP646_STAT_DROP_UDP_ZERO_CSUM;
		if (pkt->hlen < pkt->len) {
			pkt->need = pkt->len;
			return MAP646_XLAT_NEED;
		}
	}
	return 0;
}

/* Is @nexthdr one of the headers RFC 7915 5.1 skips? */
static bool ip6_skipped_exthdr(u8 nexthdr)
{
	return nexthdr == NEXTHDR_HOP || nexthdr == NEXTHDR_DEST ||
	       nexthdr == NEXTHDR_ROUTING;
}

/**
 * map646_xlat_parse6() - check that an IPv6 packet can be translated
 * @pkt: packet; the parsed fields are filled in, @len trimmed
 *
 * Hop-by-Hop, Destination Options and Routing headers with Segments Left 0
 * are skipped; the Fragment header is recorded.
 *
 * Return: 0, MAP646_XLAT_NEED with @pkt->need set, or the enum map646_stat
 * reason to drop it (@pkt->err_ptr set for MAP646_STAT_DROP_ROUTING).
 */
int map646_xlat_parse6(struct map646_pkt *pkt)
{
	const struct ipv6hdr *ip6 = pkt->l3;
	const u8 *p = pkt->l3;
	unsigned int tot_len, off = sizeof(*ip6), hlen;
	u8 nexthdr;
	int err;

	err = map646_xlat_len6(pkt);
	if (unlikely(err))
		return err;
	tot_len = pkt->len;
	pkt->frag = false;
	pkt->mf = false;
	pkt->df = false;
	pkt->frag_off = 0;
	pkt->icmp_err = false;
	pkt->hops = hop_compensate(ip6->hop_limit);

	for (nexthdr = ip6->nexthdr;;) {
		if (ip6_skipped_exthdr(nexthdr)) {
			/* past a Fragment header they are fragment payload */
			if (unlikely(pkt->frag))
				return MAP646_STAT_DROP_EXTHDR;
			if (unlikely(off + 8 > tot_len))
				return MAP646_STAT_DROP_MALFORMED;
			if (off + 8 > pkt->hlen)
				goto need;
			hlen = (p[off + 1] + 1) * 8;
			if (nexthdr == NEXTHDR_ROUTING && p[off + 3]) {
				pkt->err_ptr = off + 3;
				return MAP646_STAT_DROP_ROUTING;
			}
		} else if (nexthdr == NEXTHDR_FRAGMENT) {
			if (unlikely(pkt->frag || off + MAP646_FRAG_HDR_LEN > tot_len))
				return MAP646_STAT_DROP_MALFORMED;
			if (off + MAP646_FRAG_HDR_LEN > pkt->hlen)
				goto need;
			hlen = MAP646_FRAG_HDR_LEN;
			pkt->frag = true;
			pkt->frag_off = ((p[off + 2] << 8) | p[off + 3]) >> 3;
			pkt->mf = p[off + 3] & 1;
			memcpy(&pkt->frag_id, p + off + 4, sizeof(pkt->frag_id));
		} else {
			break;
		}
		nexthdr = p[off];
		off += hlen;
		if (unlikely(off > tot_len))
			return MAP646_STAT_DROP_MALFORMED;
	}

	pkt->l3len = off;
	pkt->proto = nexthdr;
	if (unlikely(nexthdr == IPPROTO_ICMP))
		return MAP646_STAT_DROP_PROTOCOL;
	/* the IPv4 total length has 16 bits */
	if (unlikely(tot_len - off + sizeof(struct iphdr) > 0xffff))
		return MAP646_STAT_DROP_MALFORMED;
	err = parse_l4(pkt);
	if (err || pkt->proto != IPPROTO_UDP || (pkt->frag && pkt->frag_off))
		return err;
	/* mandatory in IPv6 */
	if (unlikely(!((struct udphdr *)(p + off))->check))
		return MAP646_STAT_DROP_UDP_ZERO_CSUM;
	return 0;

need:
	pkt->need = min(tot_len, off + 2 * 256);
	return MAP646_XLAT_NEED;
}

/* Fix the transport header for new addresses (and ICMP <-> ICMPv6). */
static void xlat_l4(const struct map646_pkt *pkt, __wsum old_addrs,
		    __wsum new_addrs, const struct in6_addr *saddr6,
		    const struct in6_addr *daddr6)
{
	u8 *l4 = (u8 *)pkt->l3 + pkt->l3len;
	unsigned int l4len = pkt->len - pkt->l3len;
	struct icmphdr *icmp = (struct icmphdr *)l4;
	struct udphdr *udp = (struct udphdr *)l4;
	struct tcphdr *tcp = (struct tcphdr *)l4;
	__wsum sub, add;
	u8 type;

	if (pkt->frag && pkt->frag_off)
		return;
	if (pkt->csum_partial &&	/* offload finishes the checksum */
	    (pkt->proto == IPPROTO_TCP || pkt->proto == IPPROTO_UDP)) {
		__sum16 *check = pkt->proto == IPPROTO_TCP ? &tcp->check :
							     &udp->check;

		*check = csum_update_partial(*check, old_addrs, new_addrs);
		return;
	}
	switch (pkt->proto) {
	case IPPROTO_TCP:
		tcp->check = map646_csum_update(tcp->check, old_addrs, new_addrs);
		break;
	case IPPROTO_UDP:
		if (!udp->check) {	/* IPv4 without checksum: compute it */
			udp->check = csum_ipv6_magic(saddr6, daddr6, l4len,
						     IPPROTO_UDP,
						     csum_partial(udp, l4len, 0));
		} else {
			udp->check = map646_csum_update(udp->check, old_addrs,
							new_addrs);
		}
		if (!udp->check)
			udp->check = CSUM_MANGLED_0;
		break;
	case IPPROTO_ICMP:	/* to ICMPv6 echo: the pseudo-header enters */
		type = icmp->type == ICMP_ECHO ? ICMPV6_ECHO_REQUEST :
						 ICMPV6_ECHO_REPLY;
		sub = map646_icmp_type_sum(icmp->type, icmp->code);
		add = csum_add(map646_icmp_type_sum(type, icmp->code),
			       map646_icmp6_pseudo_sum(saddr6, daddr6, l4len));
		icmp->type = type;
		icmp->checksum = map646_csum_update(icmp->checksum, sub, add);
		break;
	case IPPROTO_ICMPV6:	/* to ICMPv4 echo: the pseudo-header leaves */
		type = icmp->type == ICMPV6_ECHO_REQUEST ? ICMP_ECHO :
							   ICMP_ECHOREPLY;
		sub = csum_add(map646_icmp_type_sum(icmp->type, icmp->code),
			       map646_icmp6_pseudo_sum(saddr6, daddr6, l4len));
		add = map646_icmp_type_sum(type, icmp->code);
		icmp->type = type;
		icmp->checksum = map646_csum_update(icmp->checksum, sub, add);
		break;
	}
}

/**
 * map646_xlat_hdrlen6() - size of the IPv6 headers an IPv4 packet gets
 * @pkt: packet accepted by map646_xlat_parse4()
 *
 * Return: 40, or 48 when it needs a Fragment header.
 */
unsigned int map646_xlat_hdrlen6(const struct map646_pkt *pkt)
{
	return sizeof(struct ipv6hdr) + (pkt->frag ? MAP646_FRAG_HDR_LEN : 0);
}

/**
 * map646_xlat_frag6() - set length and fragment fields of IPv6 headers
 * @hdr: IPv6 header followed by a Fragment header
 * @payload: bytes after the Fragment header
 * @frag_off: fragment offset, 8-byte units
 * @mf: more fragments follow
 */
void map646_xlat_frag6(void *hdr, unsigned int payload, u16 frag_off, bool mf)
{
	struct ipv6hdr *ip6 = hdr;
	struct frag_hdr *fh = (struct frag_hdr *)(ip6 + 1);

	ip6->payload_len = htons(payload + MAP646_FRAG_HDR_LEN);
	fh->frag_off = htons(frag_off << 3 | (mf ? IP6_MF : 0));
}

/**
 * map646_xlat_4to6() - translate a parsed IPv4 packet to IPv6
 * @pkt: packet accepted by map646_xlat_parse4(), linear up to its transport
 *	 header (the whole packet when a UDP checksum is to be computed);
 *	 the transport header is rewritten in place
 * @cfg: settings
 * @saddr: IPv6 source
 * @daddr: IPv6 destination
 * @hdr: room for map646_xlat_hdrlen6() bytes: the IPv6 header, and the
 *	 Fragment header if @pkt->frag, to put in place of the IPv4 header
 */
void map646_xlat_4to6(const struct map646_pkt *pkt, const struct map646_cfg *cfg,
		      const struct in6_addr *saddr, const struct in6_addr *daddr,
		      void *hdr)
{
	const struct iphdr *ip4 = pkt->l3;
	struct ipv6hdr *ip6 = hdr;
	struct frag_hdr *fh = (struct frag_hdr *)(ip6 + 1);
	u8 nexthdr = pkt->proto == IPPROTO_ICMP ? IPPROTO_ICMPV6 : pkt->proto;

	ip6_flow_hdr(ip6, cfg->tos_copy ? ip4->tos : 0, 0);
	ip6->payload_len = htons(pkt->len - pkt->l3len);
	ip6->nexthdr = nexthdr;
	ip6->hop_limit = pkt->hops;
	ip6->saddr = *saddr;
	ip6->daddr = *daddr;

	xlat_l4(pkt, addrs4_sum(ip4), addrs6_sum(ip6), saddr, daddr);

	if (pkt->frag) {
		ip6->nexthdr = NEXTHDR_FRAGMENT;
		fh->nexthdr = nexthdr;
		fh->reserved = 0;
		fh->identification = pkt->frag_id;
		map646_xlat_frag6(ip6, pkt->len - pkt->l3len, pkt->frag_off,
				  pkt->mf);
	}
}

/**
 * map646_xlat_6to4() - translate a parsed IPv6 packet to IPv4
 * @pkt: packet accepted by map646_xlat_parse6(); its transport header is
 *	 rewritten in place
 * @cfg: settings
 * @saddr: IPv4 source
 * @daddr: IPv4 destination
 * @ip4: the IPv4 header to put in place of the IPv6 headers
 */
void map646_xlat_6to4(const struct map646_pkt *pkt, const struct map646_cfg *cfg,
		      __be32 saddr, __be32 daddr, struct iphdr *ip4)
{
	const struct ipv6hdr *ip6 = pkt->l3;
	unsigned int tot_len = pkt->len - pkt->l3len + sizeof(*ip4);
	bool df = !pkt->frag && tot_len > MAP646_DF_THRESHOLD;

	ip4->version = 4;
	ip4->ihl = 5;
	ip4->tos = cfg->tos_copy ? ipv6_get_dsfield(ip6) : 0;
	ip4->tot_len = htons(tot_len);
	if (pkt->frag) {
		ip4->id = htons(ntohl(pkt->frag_id) & 0xffff);
		ip4->frag_off = htons(pkt->frag_off | (pkt->mf ? IP_MF : 0));
	} else {
		/* atomic datagrams need no unique ID (RFC 6864) */
		ip4->id = df ? 0 : htons(map646_ipv4_id());
		ip4->frag_off = df ? htons(IP_DF) : 0;
	}
	ip4->ttl = pkt->hops;
	ip4->protocol = pkt->proto == IPPROTO_ICMPV6 ? IPPROTO_ICMP : pkt->proto;
	ip4->saddr = saddr;
	ip4->daddr = daddr;
	ip4->check = 0;
	ip4->check = ip_fast_csum(ip4, ip4->ihl);

	xlat_l4(pkt, addrs6_sum(ip6), addrs4_sum(ip4), &ip6->saddr, &ip6->daddr);
}

/* An IPv4 address range, host byte order. */
struct range4 {
	u32 net;
	u32 mask;
};

#define RANGE4(a, b, c, d, len) \
	{ (a) << 24 | (b) << 16 | (c) << 8 | (d), ~0U << (32 - (len)) }

/*
 * RFC 6890 (and the IANA special-purpose registry after it): what no
 * router forwards, 192.0.0.0/24 taken whole but for the parts assigned
 * forwardable (DS-Lite, PCP and TURN anycast). Documentation ranges
 * (TEST-NET-1..3) are let through: examples and labs use them.
 */
static const struct range4 forwardable4[] = {
	RANGE4(192, 0, 0, 0, 29), RANGE4(192, 0, 0, 9, 32),
	RANGE4(192, 0, 0, 10, 32),
};

static const struct range4 unforwardable4[] = {
	RANGE4(0, 0, 0, 0, 8),		/* "this network" */
	RANGE4(127, 0, 0, 0, 8),	/* loopback */
	RANGE4(169, 254, 0, 0, 16),	/* link local */
	RANGE4(192, 0, 0, 0, 24),	/* IETF protocol assignments */
	RANGE4(224, 0, 0, 0, 4),	/* multicast */
	RANGE4(240, 0, 0, 0, 4),	/* reserved, limited broadcast */
};

/* RFC 6052 3.1: what the well-known prefix never stands for, besides */
static const struct range4 nonglobal4[] = {
	RANGE4(10, 0, 0, 0, 8), RANGE4(100, 64, 0, 0, 10),
	RANGE4(172, 16, 0, 0, 12), RANGE4(192, 0, 0, 0, 24),
	RANGE4(192, 168, 0, 0, 16), RANGE4(198, 18, 0, 0, 15),
};

static bool in_ranges(u32 a, const struct range4 *r, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if ((a & r[i].mask) == r[i].net)
			return true;
	return false;
}

static bool is_wkp(const struct map646_prefix *pfx)
{
	static const struct in6_addr wkp = { { { 0, 0x64, 0xff, 0x9b } } };

	return pfx->len == 96 && ipv6_addr_equal(&pfx->addr, &wkp);
}

/*
 * Can @a be in unforwardable4[]? One compare for most addresses. The first
 * octets of that table's ranges, listed again: a range added there must be
 * added here (selftests/host/ranges_test.c fails until it is).
 */
static bool maybe_unforwardable(u32 a)
{
	u8 first = a >> 24;

	return first == 0 || first == 127 || first == 169 || first == 192 ||
	       first >= 224;
}

/**
 * map646_xlat_check4() - may an IPv4 address cross the translator?
 * @cfg: settings (the prefix)
 * @v4: source of an IPv4 packet, or the destination an IPv6 packet names
 *	through the prefix
 *
 * Return: 0; MAP646_STAT_DROP_UNFORWARDABLE for an address no router
 * forwards, whatever the prefix; MAP646_STAT_DROP_NONGLOBAL for a
 * non-global one with the well-known prefix (RFC 6052 section 3.1).
 */
int map646_xlat_check4(const struct map646_cfg *cfg, __be32 v4)
{
	u32 a = ntohl(v4);

	if (unlikely(maybe_unforwardable(a) &&
		     in_ranges(a, unforwardable4, ARRAY_SIZE(unforwardable4)) &&
		     !in_ranges(a, forwardable4, ARRAY_SIZE(forwardable4))))
		return MAP646_STAT_DROP_UNFORWARDABLE;
	if (unlikely(is_wkp(&cfg->prefix) &&
		     in_ranges(a, nonglobal4, ARRAY_SIZE(nonglobal4))))
		return MAP646_STAT_DROP_NONGLOBAL;
	return 0;
}

/**
 * map646_xlat_addr4to6() - the IPv6 address an IPv4 address stands for
 * @ctx: translation context
 * @v4: IPv4 address
 * @v6: result: the mapped address if @v4 is in the table (RFC 7757),
 *	else @v4 embedded in the prefix
 *
 * Return: false if there is neither a mapping nor a prefix.
 */
bool map646_xlat_addr4to6(const struct map646_xlat_ctx *ctx, __be32 v4,
			  struct in6_addr *v6)
{
	if (ctx->map4(ctx->table, v4, v6))
		return true;
	if (!ctx->cfg->prefix.len)
		return false;
	map646_prefix_embed(&ctx->cfg->prefix, v4, v6);
	return true;
}

/**
 * map646_xlat_addr6to4() - the IPv4 address an IPv6 address stands for
 * @ctx: translation context
 * @v6: IPv6 address
 * @v4: result: the mapped address, or the one embedded in the prefix
 *
 * Return: false if @v6 is neither mapped nor inside the prefix.
 */
bool map646_xlat_addr6to4(const struct map646_xlat_ctx *ctx,
			  const struct in6_addr *v6, __be32 *v4)
{
	if (ctx->map6(ctx->table, v6, v4))
		return true;
	return ctx->cfg->prefix.len &&
	       map646_prefix_extract(&ctx->cfg->prefix, v6, v4);
}
