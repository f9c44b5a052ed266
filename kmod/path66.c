// SPDX-License-Identifier: GPL-2.0
/*
 * The map66 packet path: an IPv6 packet routed to the device that is not
 * for the translation prefix is rewritten by the map66 mapping of its
 * destination (global -> internal) and of its source (internal ->
 * global), and handed back as IPv6. The rewrite itself is xlat66.c's. Runs
 * in the device's transmit path only, on either path setting (the
 * PRE_ROUTING hooks leave these packets to the routes that bring them to
 * the device), under RCU; rewrites in place, allocates nothing.
 */
#include <linux/icmpv6.h>
#include <net/ipv6.h>
#include <linux/map646.h>
#include "path.h"
#include "route.h"
#include "table.h"
#include "xlat66.h"

/* Parse with the headers linear, pulling more while the parser asks. */
static int parse66(struct sk_buff *skb, struct map646_pkt *pkt)
{
	unsigned int want = min_t(unsigned int, skb->len, MAP646_XLAT_HDR_MAX);
	int err, tries;

	pkt->csum_partial = skb->ip_summed == CHECKSUM_PARTIAL;
	for (tries = 0; tries < 4; tries++) {
		if (unlikely(!pskb_may_pull(skb, want)))
			return MAP646_STAT_DROP_MALFORMED;
		pkt->l3 = skb->data;
		pkt->hlen = skb_headlen(skb);
		pkt->len = skb->len;
		err = map646_xlat66_parse(pkt);
		if (likely(err != MAP646_XLAT_NEED))
			return err;
		want = min(skb->len, pkt->need);
	}
	return MAP646_STAT_DROP_MALFORMED;
}

/**
 * struct found66 - the mappings a packet meets
 * @to: of its destination, a global address
 * @from: of its source, an internal address
 * @in_to: of the source of the packet an error quotes, a global address
 * @in_from: of that packet's destination, an internal address
 */
struct found66 {
	struct map646_entry66 *to;
	struct map646_entry66 *from;
	struct map646_entry66 *in_to;
	struct map646_entry66 *in_from;
};

/*
 * The addresses facing the world (destination, and source of a quoted
 * packet) go from global to internal, the others from internal to global.
 */
static bool lookup(struct map646_set66 *s, const struct map646_pkt *pkt,
		   struct found66 *f, struct map646_rewrite66 *rw)
{
	const struct ipv6hdr *ip6 = pkt->l3, *in6;

	f->to = map646_set66_find_global(s, &ip6->daddr);
	f->from = map646_set66_find_internal(s, &ip6->saddr);
	f->in_to = NULL;
	f->in_from = NULL;
	in6 = unlikely(pkt->icmp_err) ? map646_xlat66_inner(pkt) : NULL;
	if (in6) {
		f->in_to = map646_set66_find_global(s, &in6->saddr);
		f->in_from = map646_set66_find_internal(s, &in6->daddr);
	}
	rw->daddr = f->to ? &f->to->internal : NULL;
	rw->saddr = f->from ? &f->from->global : NULL;
	rw->in_saddr = f->in_to ? &f->in_to->internal : NULL;
	rw->in_daddr = f->in_from ? &f->in_from->global : NULL;
	return f->to || f->from || f->in_to || f->in_from;
}

/* Count the packet on each mapping it met, once. */
static void count66(const struct found66 *f, unsigned int len)
{
	if (f->to)
		map646_entry66_count(f->to, MAP646_DIR_4TO6, len);
	if (f->from)
		map646_entry66_count(f->from, MAP646_DIR_6TO4, len);
	if (f->in_to && f->in_to != f->from)
		map646_entry66_count(f->in_to, MAP646_DIR_6TO4, len);
	if (f->in_from && f->in_from != f->to)
		map646_entry66_count(f->in_from, MAP646_DIR_4TO6, len);
}

static int path66(struct net_device *dev, const struct map646_cfg *cfg,
		  struct map646_set66 *s, struct sk_buff *skb,
		  struct sk_buff_head *out)
{
	struct map646_rewrite66 rw;
	struct map646_pkt pkt;
	struct found66 f;
	unsigned int mtu, room;
	int err;

	err = parse66(skb, &pkt);
	if (unlikely(err))
		return err;
	if (!lookup(s, &pkt, &f, &rw))
		return MAP646_STAT_DROP_NOT_IN_PREFIX;
	/* the next hop's MTU, answered about the packet as it came */
	if (unlikely(pkt.len > IPV6_MIN_MTU) && !skb_is_gso(skb)) {
		mtu = map646_route_mtu6(dev_net(dev), rw.daddr ?:
					&((struct ipv6hdr *)pkt.l3)->daddr, NULL);
		if (mtu < pkt.len) {
			map646_path_reply6(skb, cfg, false, ICMPV6_PKT_TOOBIG, 0,
					   mtu);
			return MAP646_STAT_DROP_TOO_BIG;
		}
	}
	room = pkt.icmp_err ? pkt.len : pkt.l3len + map646_l4_need(pkt.proto);
	if (unlikely(pskb_trim_rcsum(skb, pkt.len) ||
		     skb_ensure_writable(skb, min(skb->len, room))))
		return MAP646_STAT_DROP_NOMEM;
	pkt.l3 = skb->data;
	pkt.hlen = skb_headlen(skb);
	map646_xlat66(&pkt, &rw);
	MAP646_SKB_CB(skb)->ignore_df = false;
	MAP646_SKB_CB(skb)->route6 = NULL;
	__skb_queue_tail(out, skb);
	count66(&f, pkt.len);
	return MAP646_STAT_XLAT_66;
}

/**
 * map646_path_6() - translate or rewrite one IPv6 packet
 * @dev: the map646 device
 * @cfg: its settings
 * @t: its table
 * @skb: the packet, network header at data; consumed on success
 * @out: where the resulting packet goes
 *
 * A packet for the translation prefix is translated to IPv4; any other is
 * for the map66 mappings, when the table has them.
 *
 * Return: MAP646_STAT_XLAT_6TO4 or MAP646_STAT_XLAT_66, or the drop reason
 * (@skb still owned by the caller).
 */
int map646_path_6(struct net_device *dev, const struct map646_cfg *cfg,
		  struct map646_table *t, struct sk_buff *skb,
		  struct sk_buff_head *out)
{
	struct map646_set66 *s = map646_table_set66(t);
	__be32 v4;

	if (likely(!s || !s->count))
		return map646_path_6to4(dev, cfg, t, NULL, skb, out);
	if (unlikely(!pskb_may_pull(skb, sizeof(struct ipv6hdr))))
		return MAP646_STAT_DROP_MALFORMED;
	if (cfg->prefix.len &&
	    map646_prefix_extract(&cfg->prefix,
				  &((struct ipv6hdr *)skb->data)->daddr, &v4))
		return map646_path_6to4(dev, cfg, t, NULL, skb, out);
	return path66(dev, cfg, s, skb, out);
}
