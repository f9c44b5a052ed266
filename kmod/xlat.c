// SPDX-License-Identifier: GPL-2.0
/*
 * Header translation, RFC 7915: pure functions on packet memory, no
 * netdevice, no locks, no allocation. Checksums are updated incrementally:
 * only the pseudo-header (and, for ICMP, the type) changes.
 */
#include <linux/map646.h>
#include "xlat.h"

/* RFC 7915 5.1: DF is set only when the IPv4 packet is larger than this. */
#define MAP646_DF_THRESHOLD 1260

static __sum16 csum_update(__sum16 check, __wsum sub, __wsum add)
{
	return csum_fold(csum_add(csum_sub(~csum_unfold(check), sub), add));
}

static __wsum icmp_type_sum(u8 type, u8 code)
{
	u8 word[2] = { type, code };

	return csum_partial(word, sizeof(word), 0);
}

/* Sum of the ICMPv6 pseudo-header (RFC 8200 8.1), ICMPv4 has none. */
static __wsum icmp6_pseudo_sum(const struct ipv6hdr *ip6, unsigned int len)
{
	__wsum sum = csum_partial(&ip6->saddr, 2 * sizeof(ip6->saddr), 0);

	sum = csum_add(sum, (__force __wsum)htonl(len));
	return csum_add(sum, (__force __wsum)htonl(IPPROTO_ICMPV6));
}

/* Transport header bytes needed to translate, 0 if untouched. */
static unsigned int l4_need(u8 proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return sizeof(struct tcphdr);
	case IPPROTO_UDP:
		return sizeof(struct udphdr);
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		return 4;
	default:
		return 0;
	}
}

static int parse_l4(const struct map646_pkt *pkt)
{
	const u8 *l4 = (const u8 *)pkt->l3 + pkt->l3len;
	unsigned int need = l4_need(pkt->proto);

	if (unlikely(pkt->l3len + need > pkt->len ||
		     pkt->l3len + need > pkt->hlen))
		return MAP646_STAT_DROP_MALFORMED;

	switch (pkt->proto) {
	case IPPROTO_UDP:
		if (unlikely(!((const struct udphdr *)l4)->check))
			return MAP646_STAT_DROP_UDP_ZERO_CSUM;
		break;
	case IPPROTO_ICMP:
		if (unlikely(l4[0] != ICMP_ECHO && l4[0] != ICMP_ECHOREPLY))
			return MAP646_STAT_DROP_ICMP;
		break;
	case IPPROTO_ICMPV6:
		if (unlikely(l4[0] != ICMPV6_ECHO_REQUEST &&
			     l4[0] != ICMPV6_ECHO_REPLY))
			return MAP646_STAT_DROP_ICMP;
		break;
	}
	return 0;
}

/**
 * map646_xlat_parse4() - check that an IPv4 packet can be translated
 * @pkt: packet; @l3len and @proto are filled in, @len trimmed
 *
 * Return: 0, or the enum map646_stat reason to drop it.
 */
int map646_xlat_parse4(struct map646_pkt *pkt)
{
	const struct iphdr *ip4 = pkt->l3;
	unsigned int tot_len;

	if (unlikely(pkt->hlen < sizeof(*ip4) || ip4->version != 4 ||
		     ip4->ihl < 5 || ip4->ihl * 4 > pkt->hlen))
		return MAP646_STAT_DROP_MALFORMED;
	tot_len = ntohs(ip4->tot_len);
	if (unlikely(tot_len < ip4->ihl * 4 || tot_len > pkt->len))
		return MAP646_STAT_DROP_MALFORMED;
	if (unlikely(ip4->frag_off & htons(IP_MF | IP_OFFSET)))
		return MAP646_STAT_DROP_FRAGMENT;
	if (unlikely(ip4->protocol == IPPROTO_ICMPV6))
		return MAP646_STAT_DROP_PROTOCOL;

	pkt->len = tot_len;
	pkt->l3len = ip4->ihl * 4;
	pkt->proto = ip4->protocol;
	return parse_l4(pkt);
}

/**
 * map646_xlat_parse6() - check that an IPv6 packet can be translated
 * @pkt: packet; @l3len and @proto are filled in, @len trimmed
 *
 * Return: 0, or the enum map646_stat reason to drop it.
 */
int map646_xlat_parse6(struct map646_pkt *pkt)
{
	const struct ipv6hdr *ip6 = pkt->l3;
	unsigned int tot_len;

	if (unlikely(pkt->hlen < sizeof(*ip6) || ip6->version != 6))
		return MAP646_STAT_DROP_MALFORMED;
	tot_len = sizeof(*ip6) + ntohs(ip6->payload_len);
	/* a zero payload length announces a jumbogram: not translatable */
	if (unlikely(tot_len > pkt->len || !ip6->payload_len))
		return MAP646_STAT_DROP_MALFORMED;

	switch (ip6->nexthdr) {
	case NEXTHDR_FRAGMENT:
		return MAP646_STAT_DROP_FRAGMENT;
	case NEXTHDR_HOP:
	case NEXTHDR_ROUTING:
	case NEXTHDR_DEST:
		return MAP646_STAT_DROP_EXTHDR;
	case IPPROTO_ICMP:
		return MAP646_STAT_DROP_PROTOCOL;
	}

	pkt->len = tot_len;
	pkt->l3len = sizeof(*ip6);
	pkt->proto = ip6->nexthdr;
	/* 0xffff bytes of payload would not fit IPv4's 16-bit total length */
	if (unlikely(tot_len - sizeof(*ip6) + sizeof(struct iphdr) > 0xffff))
		return MAP646_STAT_DROP_MALFORMED;
	return parse_l4(pkt);
}

/* Fix the transport checksum for new addresses (and ICMP <-> ICMPv6). */
static void xlat_l4(const struct map646_pkt *pkt, __wsum old_addrs,
		    __wsum new_addrs, const struct ipv6hdr *ip6)
{
	u8 *l4 = (u8 *)pkt->l3 + pkt->l3len;
	unsigned int l4len = pkt->len - pkt->l3len;
	struct icmphdr *icmp = (struct icmphdr *)l4;
	struct udphdr *udp = (struct udphdr *)l4;
	struct tcphdr *tcp = (struct tcphdr *)l4;
	__wsum sub, add;
	u8 type;

	switch (pkt->proto) {
	case IPPROTO_TCP:
		tcp->check = csum_update(tcp->check, old_addrs, new_addrs);
		break;
	case IPPROTO_UDP:
		udp->check = csum_update(udp->check, old_addrs, new_addrs);
		if (!udp->check)
			udp->check = CSUM_MANGLED_0;
		break;
	case IPPROTO_ICMP:	/* to ICMPv6: the pseudo-header enters */
		type = icmp->type == ICMP_ECHO ? ICMPV6_ECHO_REQUEST :
						 ICMPV6_ECHO_REPLY;
		sub = icmp_type_sum(icmp->type, icmp->code);
		add = csum_add(icmp_type_sum(type, icmp->code),
			       icmp6_pseudo_sum(ip6, l4len));
		icmp->type = type;
		icmp->checksum = csum_update(icmp->checksum, sub, add);
		break;
	case IPPROTO_ICMPV6:	/* to ICMPv4: the pseudo-header leaves */
		type = icmp->type == ICMPV6_ECHO_REQUEST ? ICMP_ECHO :
							   ICMP_ECHOREPLY;
		sub = csum_add(icmp_type_sum(icmp->type, icmp->code),
			       icmp6_pseudo_sum(ip6, l4len));
		add = icmp_type_sum(type, icmp->code);
		icmp->type = type;
		icmp->checksum = csum_update(icmp->checksum, sub, add);
		break;
	}
}

/*
 * The stack decremented the TTL when it forwarded the packet to the device
 * and will decrement the hop limit again when it forwards the translation:
 * add one back so the translator counts as one router hop (RFC 7915 4.1).
 */
static u8 hop_compensate(u8 ttl)
{
	return ttl < 255 ? ttl + 1 : ttl;
}

/**
 * map646_xlat_4to6() - translate a parsed IPv4 packet to IPv6
 * @pkt: packet accepted by map646_xlat_parse4(); its transport header is
 *	 rewritten in place
 * @saddr: IPv6 source (prefix + IPv4 source)
 * @daddr: IPv6 destination (the mapped server)
 * @ip6: the IPv6 header to put in place of the IPv4 header
 */
void map646_xlat_4to6(const struct map646_pkt *pkt, const struct in6_addr *saddr,
		      const struct in6_addr *daddr, struct ipv6hdr *ip6)
{
	const struct iphdr *ip4 = pkt->l3;

	ip6_flow_hdr(ip6, ip4->tos, 0);
	ip6->payload_len = htons(pkt->len - pkt->l3len);
	ip6->nexthdr = pkt->proto == IPPROTO_ICMP ? IPPROTO_ICMPV6 : pkt->proto;
	ip6->hop_limit = hop_compensate(ip4->ttl);
	ip6->saddr = *saddr;
	ip6->daddr = *daddr;

	xlat_l4(pkt, csum_partial(&ip4->saddr, 2 * sizeof(ip4->saddr), 0),
		csum_partial(&ip6->saddr, 2 * sizeof(ip6->saddr), 0), ip6);
}

/**
 * map646_xlat_6to4() - translate a parsed IPv6 packet to IPv4
 * @pkt: packet accepted by map646_xlat_parse6(); its transport header is
 *	 rewritten in place
 * @saddr: IPv4 source (the mapped server's public address)
 * @daddr: IPv4 destination (extracted from the prefix)
 * @ip4: the IPv4 header to put in place of the IPv6 header
 */
void map646_xlat_6to4(const struct map646_pkt *pkt, __be32 saddr, __be32 daddr,
		      struct iphdr *ip4)
{
	const struct ipv6hdr *ip6 = pkt->l3;
	unsigned int tot_len = pkt->len - pkt->l3len + sizeof(*ip4);
	bool df = tot_len > MAP646_DF_THRESHOLD;

	ip4->version = 4;
	ip4->ihl = 5;
	ip4->tos = ipv6_get_dsfield(ip6);
	ip4->tot_len = htons(tot_len);
	/* atomic datagrams need no unique ID (RFC 6864) */
	ip4->id = df ? 0 : htons(map646_random_u16());
	ip4->frag_off = df ? htons(IP_DF) : 0;
	ip4->ttl = hop_compensate(ip6->hop_limit);
	ip4->protocol = pkt->proto == IPPROTO_ICMPV6 ? IPPROTO_ICMP : pkt->proto;
	ip4->saddr = saddr;
	ip4->daddr = daddr;
	ip4->check = 0;
	ip4->check = ip_fast_csum(ip4, ip4->ihl);

	xlat_l4(pkt, csum_partial(&ip6->saddr, 2 * sizeof(ip6->saddr), 0),
		csum_partial(&ip4->saddr, 2 * sizeof(ip4->saddr), 0), ip6);
}
