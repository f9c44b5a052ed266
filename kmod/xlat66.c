// SPDX-License-Identifier: GPL-2.0
/*
 * The map66 rewrite: an IPv6 packet keeps everything but one or two
 * addresses (and, in an ICMPv6 error, those of the packet it quotes). Pure
 * functions on packet memory, like xlat.c: transport checksums are updated
 * incrementally for the address change, which also holds for the first
 * fragment of a datagram; later fragments carry no transport header.
 */
#include <linux/map646.h>
#include "xlat66.h"
#include "xlat_int.h"

#define ICMP6_HDR 8

static bool skipped_exthdr(u8 nexthdr)
{
	return nexthdr == NEXTHDR_HOP || nexthdr == NEXTHDR_DEST ||
	       nexthdr == NEXTHDR_ROUTING || nexthdr == NEXTHDR_FRAGMENT;
}

/*
 * Walk the extension headers of the IPv6 header at @p (@avail bytes):
 * transport offset and protocol, fragment fields, the Segments Left of a
 * Routing header. 0, or -1 when a header runs past @avail.
 */
static int walk6(const u8 *p, unsigned int avail, struct map646_pkt *pkt,
		 bool *routed)
{
	unsigned int off = sizeof(struct ipv6hdr), hlen;
	u8 nexthdr = ((const struct ipv6hdr *)p)->nexthdr;

	pkt->frag = false;
	pkt->mf = false;
	pkt->frag_off = 0;
	*routed = false;
	while (skipped_exthdr(nexthdr)) {
		if (off + 8 > avail)
			return -1;
		if (nexthdr == NEXTHDR_FRAGMENT) {
			if (pkt->frag)
				return -1;
			pkt->frag = true;
			pkt->frag_off = ((p[off + 2] << 8) | p[off + 3]) >> 3;
			pkt->mf = p[off + 3] & 1;
			hlen = MAP646_FRAG_HDR_LEN;
		} else {
			if (nexthdr == NEXTHDR_ROUTING && p[off + 3])
				*routed = true;
			hlen = (p[off + 1] + 1) * 8;
		}
		nexthdr = p[off];
		off += hlen;
	}
	if (off > avail)
		return -1;
	pkt->l3len = off;
	pkt->proto = nexthdr;
	return 0;
}

/**
 * map646_xlat66_parse() - check an IPv6 packet a map66 mapping may rewrite
 * @pkt: packet; the parsed fields are filled in, @len trimmed
 *
 * Return: 0, MAP646_XLAT_NEED with @pkt->need set (an ICMPv6 error is
 * asked for whole), or the enum map646_stat reason to drop it.
 */
int map646_xlat66_parse(struct map646_pkt *pkt)
{
	unsigned int tot_len, need;
	bool routed;
	int err;
	u8 type;

	err = map646_xlat_len6(pkt);
	if (unlikely(err))
		return err;
	tot_len = pkt->len;
	pkt->df = false;
	pkt->icmp_err = false;
	if (unlikely(walk6(pkt->l3, min(pkt->hlen, tot_len), pkt, &routed))) {
		if (pkt->hlen >= tot_len)
			return MAP646_STAT_DROP_MALFORMED;
		pkt->need = min(tot_len, pkt->hlen + 2 * 256);
		return MAP646_XLAT_NEED;
	}
	/* the transport checksum covers the final destination, not this one */
	if (unlikely(routed))
		return MAP646_STAT_DROP_ROUTING;
	if (pkt->frag && pkt->frag_off)
		return 0;
	need = pkt->l3len + map646_l4_need(pkt->proto);
	if (unlikely(need > tot_len))
		return MAP646_STAT_DROP_MALFORMED;
	if (need > pkt->hlen) {
		pkt->need = need;
		return MAP646_XLAT_NEED;
	}
	if (pkt->proto != IPPROTO_ICMPV6)
		return 0;
	type = ((const u8 *)pkt->l3)[pkt->l3len];
	pkt->icmp_err = type < ICMPV6_ECHO_REQUEST;
	if (!pkt->icmp_err)
		return 0;
	/* the quoted packet may be cut anywhere: only whole errors */
	if (unlikely(pkt->mf))
		return MAP646_STAT_DROP_FRAGMENT;
	if (pkt->hlen < tot_len) {
		pkt->need = tot_len;
		return MAP646_XLAT_NEED;
	}
	return 0;
}

/**
 * map646_xlat66_inner() - the packet an ICMPv6 error quotes
 * @pkt: error accepted by map646_xlat66_parse()
 *
 * Return: its IPv6 header, or NULL when the error holds no whole one.
 */
const struct ipv6hdr *map646_xlat66_inner(const struct map646_pkt *pkt)
{
	const u8 *inner = (const u8 *)pkt->l3 + pkt->l3len + ICMP6_HDR;
	unsigned int avail = pkt->len - pkt->l3len - ICMP6_HDR;

	if (!pkt->icmp_err || pkt->len < pkt->l3len + ICMP6_HDR ||
	    avail < sizeof(struct ipv6hdr) || inner[0] >> 4 != 6)
		return NULL;
	return (const struct ipv6hdr *)inner;
}

/* Put @to in @field, adding the old and new bytes to @sub and @add. */
static void replace(struct in6_addr *field, const struct in6_addr *to,
		    __wsum *sub, __wsum *add)
{
	if (!to)
		return;
	*sub = csum_partial(field, sizeof(*field), *sub);
	*add = csum_partial(to, sizeof(*to), *add);
	*field = *to;
}

/* Where the checksum of @proto is in its header; 0: none we update. */
static unsigned int csum_offset(u8 proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return offsetof(struct tcphdr, check);
	case IPPROTO_UDP:
		return offsetof(struct udphdr, check);
	case IPPROTO_ICMPV6:
		return offsetof(struct icmp6hdr, icmp6_cksum);
	default:
		return 0;
	}
}

/*
 * The checksum at @check of a @proto header after its pseudo-header (and
 * content) changed by @sub -> @add. A UDP checksum 0 means none: kept.
 */
static void update(u8 proto, __sum16 *check, __wsum sub, __wsum add,
		   bool partial)
{
	if (proto == IPPROTO_UDP && !*check)
		return;
	if (partial && proto != IPPROTO_ICMPV6) {
		*check = ~csum_fold(csum_add(csum_sub(csum_unfold(*check), sub),
					     add));
		return;
	}
	*check = map646_csum_update(*check, sub, add);
	if (proto == IPPROTO_UDP && !*check)
		*check = CSUM_MANGLED_0;
}

/*
 * Rewrite the addresses of the quoted packet of an error (and its
 * checksum, when quoted): the changed bytes are added to @sub and @add for
 * the error's own checksum.
 */
static void rewrite_inner(const struct map646_pkt *pkt,
			  const struct map646_rewrite66 *rw,
			  __wsum *sub, __wsum *add)
{
	struct ipv6hdr *in6 = (struct ipv6hdr *)map646_xlat66_inner(pkt);
	unsigned int avail = pkt->len - pkt->l3len - ICMP6_HDR, off;
	__wsum isub = 0, iadd = 0;
	struct map646_pkt in;
	__sum16 *check;
	bool routed;

	if (!in6)
		return;
	replace(&in6->saddr, rw->in_saddr, &isub, &iadd);
	replace(&in6->daddr, rw->in_daddr, &isub, &iadd);
	*sub = csum_add(*sub, isub);
	*add = csum_add(*add, iadd);
	if (walk6((const u8 *)in6, avail, &in, &routed) ||
	    (in.frag && in.frag_off) || !csum_offset(in.proto))
		return;
	off = in.l3len + csum_offset(in.proto);
	if (off + sizeof(*check) > avail)
		return;
	check = (__sum16 *)((u8 *)in6 + off);
	*sub = csum_add(*sub, csum_partial(check, sizeof(*check), 0));
	update(in.proto, check, isub, iadd, false);
	*add = csum_add(*add, csum_partial(check, sizeof(*check), 0));
}

/**
 * map646_xlat66() - rewrite the addresses of a parsed IPv6 packet
 * @pkt: packet accepted by map646_xlat66_parse(), writable up to its
 *	 transport header (wholly, for an ICMPv6 error)
 * @rw: the new addresses
 *
 * The hop limit gets back the decrement of the stack's forwarding to the
 * device: the one of the forwarding that follows is the translator's hop.
 */
void map646_xlat66(const struct map646_pkt *pkt,
		   const struct map646_rewrite66 *rw)
{
	struct ipv6hdr *ip6 = pkt->l3;
	u8 *l4 = (u8 *)pkt->l3 + pkt->l3len;
	__wsum sub = 0, add = 0;

	if (pkt->icmp_err)
		rewrite_inner(pkt, rw, &sub, &add);
	replace(&ip6->saddr, rw->saddr, &sub, &add);
	replace(&ip6->daddr, rw->daddr, &sub, &add);
	if (ip6->hop_limit < 255)
		ip6->hop_limit++;
	if ((pkt->frag && pkt->frag_off) || !csum_offset(pkt->proto))
		return;
	update(pkt->proto, (__sum16 *)(l4 + csum_offset(pkt->proto)), sub, add,
	       pkt->csum_partial);
}
