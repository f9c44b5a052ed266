// SPDX-License-Identifier: GPL-2.0
/*
 * Mappings in netlink attributes, both ways: the addresses of a request
 * (one mapping, or a MAP646_A_MAPS batch of them, of any kind) checked and
 * applied to a table, and the attributes of a mapping in a dump. Callers
 * hold the table owner's lock.
 */
#include <linux/inetdevice.h>
#include <net/ipv6.h>
#include "nl_maps.h"

/* One MAP646_A_MAP of a batch (and the same attributes at the top). */
const struct nla_policy map646_nl_entry_policy[MAP646_A_MAX + 1] = {
	[MAP646_A_MAP_IPV4] = NLA_POLICY_EXACT_LEN(sizeof(struct in_addr)),
	[MAP646_A_MAP_IPV6] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[MAP646_A_MAP_IPV4_LEN] = NLA_POLICY_MAX(NLA_U8, 32),
	[MAP646_A_MAP_IPV6_LEN] = NLA_POLICY_MAX(NLA_U8, 128),
	[MAP646_A_MAP66_GLOBAL] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[MAP646_A_MAP66_INTERNAL] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
};

static u32 low_bits(unsigned int bits)
{
	return bits >= 32 ? U32_MAX : (1U << bits) - 1;
}

/* An IPv4 address or block holding none of 0/8, 127/8, 224/4, broadcast. */
static int check4(__be32 v4, u8 len, const struct nlattr *a,
		  struct netlink_ext_ack *extack)
{
	u32 first = ntohl(v4), last = first | low_bits(32 - len);

	if (len == 32 && (!(v4 & htonl(IN_CLASSA_NET)) || ipv4_is_loopback(v4) ||
			  ipv4_is_multicast(v4) || ipv4_is_lbcast(v4))) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "MAP646_A_MAP_IPV4 cannot be translated (unspecified, loopback, multicast or broadcast)");
		return -EINVAL;
	}
	if (len < 32 && (!(first >> 24) || last >> 28 >= 0xe ||
			 (first >> 24 <= 127 && last >> 24 >= 127))) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "MAP646_A_MAP_IPV4 block holds addresses that cannot be translated (0/8, 127/8, 224/4 and up)");
		return -EINVAL;
	}
	return 0;
}

/* Does the block @a/@len hold an address of @b/@blen? */
static bool overlaps6(const struct in6_addr *a, unsigned int len,
		      const struct in6_addr *b, unsigned int blen)
{
	struct in6_addr x, y;

	len = min(len, blen);
	map646_prefix6_mask(a, len, &x);
	map646_prefix6_mask(b, len, &y);
	return ipv6_addr_equal(&x, &y);
}

/* An IPv6 address or block holding none of ::, ::1, ff00::/8, ::ffff:0/96. */
static int check6(const struct in6_addr *v6, u8 len, const struct nlattr *a,
		  struct netlink_ext_ack *extack)
{
	static const struct in6_addr mapped = {
		{ { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff } } };
	static const struct in6_addr mcast = { { { 0xff } } };
	static const struct in6_addr lo = IN6ADDR_LOOPBACK_INIT;

	if (len == 128 && (ipv6_addr_any(v6) || ipv6_addr_loopback(v6) ||
			   ipv6_addr_is_multicast(v6) ||
			   ipv6_addr_v4mapped(v6))) {
		if (nla_type(a) == MAP646_A_MAP_IPV6)
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "MAP646_A_MAP_IPV6 cannot be translated (unspecified, loopback, multicast or IPv4-mapped)");
		else
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "a map66 address cannot be unspecified, loopback, multicast or IPv4-mapped");
		return -EINVAL;
	}
	if (len < 128 && (overlaps6(v6, len, &lo, 127) ||
			  overlaps6(v6, len, &mapped, 96) ||
			  overlaps6(v6, len, &mcast, 8))) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "MAP646_A_MAP_IPV6 block holds addresses that cannot be translated (::/127, ::ffff:0:0/96, ff00::/8)");
		return -EINVAL;
	}
	return 0;
}

/* The attributes of one MAP646_A_MAP (already checked by the policy). */
static void entry_attrs(const struct nlattr *entry, struct nlattr **tb)
{
	const struct nlattr *a;
	int rem;

	memset(tb, 0, sizeof(*tb) * (MAP646_A_MAX + 1));
	nla_for_each_nested(a, entry, rem)
		if (nla_type(a) <= MAP646_A_MAX &&
		    map646_nl_entry_policy[nla_type(a)].type)
			tb[nla_type(a)] = (struct nlattr *)a;
}

/* Are @tb about a map66 mapping? Without addresses: if only those fit. */
static bool names66(struct nlattr *const *tb, unsigned int kinds)
{
	if (tb[MAP646_A_MAP66_GLOBAL] || tb[MAP646_A_MAP66_INTERNAL])
		return true;
	return !tb[MAP646_A_MAP_IPV4] && !tb[MAP646_A_MAP_IPV6] &&
	       kinds == MAP646_NL_66;
}

/* Is the kind @tb names one of @kinds? */
static int kind_ok(struct nlattr *const *tb, unsigned int kinds,
		   const struct nlattr *where, struct netlink_ext_ack *extack)
{
	bool is66 = names66(tb, kinds);

	if (kinds & (is66 ? MAP646_NL_66 : MAP646_NL_46))
		return 0;
	if (is66)
		NL_SET_ERR_MSG_ATTR(extack, where ?: tb[MAP646_A_MAP66_GLOBAL] ?:
				    tb[MAP646_A_MAP66_INTERNAL],
				    "map66 addresses where an IPv4 mapping is expected");
	else
		NL_SET_ERR_MSG_ATTR(extack, where,
				    "IPv4 mapping where a map66 mapping is expected");
	return -EINVAL;
}

static int spec66(struct nlattr *const *tb, const struct nlattr *where,
		  struct map646_spec *s, struct netlink_ext_ack *extack)
{
	const struct nlattr *g = tb[MAP646_A_MAP66_GLOBAL];
	const struct nlattr *i = tb[MAP646_A_MAP66_INTERNAL];

	if (!g || !i) {
		NL_SET_ERR_MSG_ATTR(extack, where ?: g ?: i,
				    "a map66 mapping needs MAP646_A_MAP66_GLOBAL and MAP646_A_MAP66_INTERNAL");
		return -EINVAL;
	}
	s->is66 = true;
	s->global = nla_get_in6_addr(g);
	s->internal = nla_get_in6_addr(i);
	return check6(&s->global, 128, g, extack) ?:
	       check6(&s->internal, 128, i, extack);
}

static int spec46(struct nlattr *const *tb, const struct nlattr *where,
		  struct map646_spec *s, struct netlink_ext_ack *extack)
{
	const struct nlattr *a4 = tb[MAP646_A_MAP_IPV4];
	const struct nlattr *a6 = tb[MAP646_A_MAP_IPV6];
	const struct nlattr *l4 = tb[MAP646_A_MAP_IPV4_LEN];
	const struct nlattr *l6 = tb[MAP646_A_MAP_IPV6_LEN];

	if (!a4 || !a6) {
		if (where)
			NL_SET_ERR_MSG_ATTR(extack, where,
					    "MAP646_A_MAP needs MAP646_A_MAP_IPV4 and MAP646_A_MAP_IPV6");
		else if (a4)
			NL_SET_ERR_MSG_MOD(extack, "missing MAP646_A_MAP_IPV6");
		else
			NL_SET_ERR_MSG_MOD(extack, "missing MAP646_A_MAP_IPV4");
		return -EINVAL;
	}
	if (!l4 != !l6) {
		NL_SET_ERR_MSG_ATTR(extack, l4 ?: l6,
				    "MAP646_A_MAP_IPV4_LEN and MAP646_A_MAP_IPV6_LEN come together");
		return -EINVAL;
	}
	s->is66 = false;
	s->eam.v4 = nla_get_in_addr(a4);
	s->eam.v6 = nla_get_in6_addr(a6);
	s->eam.len4 = l4 ? nla_get_u8(l4) : 32;
	s->eam.len6 = l6 ? nla_get_u8(l6) : 128;
	switch (map646_eam_check(&s->eam)) {
	case MAP646_EAM_OK:
		break;
	case MAP646_EAM_HOST_BITS4:
		NL_SET_ERR_MSG_ATTR(extack, a4,
				    "MAP646_A_MAP_IPV4 has bits set past MAP646_A_MAP_IPV4_LEN");
		return -EINVAL;
	case MAP646_EAM_HOST_BITS6:
		NL_SET_ERR_MSG_ATTR(extack, a6,
				    "MAP646_A_MAP_IPV6 has bits set past MAP646_A_MAP_IPV6_LEN");
		return -EINVAL;
	default:
		NL_SET_ERR_MSG_ATTR(extack, l6,
				    "the IPv6 suffix (128 - MAP646_A_MAP_IPV6_LEN) is shorter than the IPv4 suffix (RFC 7757 3.2)");
		return -EINVAL;
	}
	/* one IPv4 address: one IPv6 address, whatever the IPv6 length */
	if (s->eam.len4 == 32)
		s->eam.len6 = 128;
	return check4(s->eam.v4, s->eam.len4, a4, extack) ?:
	       check6(&s->eam.v6, s->eam.len6, a6, extack);
}

/**
 * map646_nl_spec() - the mapping some attributes describe, checked
 * @tb: the attributes, indexed by type (a request's, or a MAP646_A_MAP's)
 * @kinds: the kinds allowed here, MAP646_NL_46 and/or MAP646_NL_66
 * @where: the MAP646_A_MAP nest, or NULL at the top of a request
 * @s: the mapping
 * @extack: where to say what is wrong
 *
 * Return: 0 or -EINVAL.
 */
int map646_nl_spec(struct nlattr *const *tb, unsigned int kinds,
		   const struct nlattr *where, struct map646_spec *s,
		   struct netlink_ext_ack *extack)
{
	memset(s, 0, sizeof(*s));
	if (kind_ok(tb, kinds, where, extack))
		return -EINVAL;
	return names66(tb, kinds) ? spec66(tb, where, s, extack) :
			     spec46(tb, where, s, extack);
}

static int entry_spec(const struct nlattr *entry, unsigned int kinds,
		      struct map646_spec *s, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[MAP646_A_MAX + 1];

	entry_attrs(entry, tb);
	return map646_nl_spec(tb, kinds, entry, s, extack);
}

/**
 * map646_nl_add_batch() - add a MAP646_A_MAPS batch, all or nothing
 * @t: table; writer lock held
 * @maps: the batch
 * @kinds: the kinds allowed in it
 * @live: the data path can see @t: check every entry before adding any,
 *	  so that packets do not meet entries of a batch about to be refused
 *	  (a staged table is checked as it is filled, in one pass)
 * @extack: where to say which entry was refused and why
 *
 * A clash inside the batch shows on insert: the entries already inserted
 * are taken out again.
 *
 * Return: 0, -EINVAL, -EEXIST, -ENOSPC or -ENOMEM.
 */
int map646_nl_add_batch(struct map646_table *t, const struct nlattr *maps,
			unsigned int kinds, bool live,
			struct netlink_ext_ack *extack)
{
	const struct nlattr *entry, *undo;
	struct map646_spec s;
	int rem, err;
	u32 n = 0;

	if (live) {
		nla_for_each_nested(entry, maps, rem) {
			err = entry_spec(entry, kinds, &s, extack) ?:
			      map646_table_check(t, &s, extack);
			if (err) {
				NL_SET_BAD_ATTR(extack, entry);
				return err;
			}
			n++;
		}
		if (n > MAP646_MAX_MAPPINGS - map646_table_count46(t) -
			map646_table_count66(t)) {
			NL_SET_ERR_MSG_ATTR(extack, maps,
					    "mapping table is full");
			return -ENOSPC;
		}
	}
	nla_for_each_nested(entry, maps, rem) {
		err = entry_spec(entry, kinds, &s, extack) ?:
		      map646_table_insert(t, &s, extack);
		if (err)
			goto undo;
	}
	return 0;

undo:
	NL_SET_BAD_ATTR(extack, entry);
	nla_for_each_nested(undo, maps, rem) {
		if (undo == entry)
			break;
		entry_spec(undo, kinds, &s, extack);
		map646_table_remove(t, &s);
	}
	return err;
}

/**
 * struct victim - the mapping a delete request names, of whatever kind
 * @e: a single-address mapping
 * @p: a block mapping
 * @e66: a map66 mapping
 */
struct victim {
	struct map646_entry *e;
	struct map646_pfx *p;
	struct map646_entry66 *e66;
};

/* The one address (or block) a delete names. 0 or -EINVAL. */
static int victim_key(struct nlattr *const *tb, unsigned int kinds,
		      const struct nlattr *where, struct netlink_ext_ack *extack)
{
	const struct nlattr *a4 = tb[MAP646_A_MAP_IPV4];
	const struct nlattr *a6 = tb[MAP646_A_MAP_IPV6];
	const struct nlattr *g = tb[MAP646_A_MAP66_GLOBAL];
	const struct nlattr *i = tb[MAP646_A_MAP66_INTERNAL];

	if (kind_ok(tb, kinds, where, extack))
		return -EINVAL;
	if (names66(tb, kinds) ? !g == !i : !a4 == !a6) {
		if (names66(tb, kinds))
			NL_SET_ERR_MSG_ATTR(extack, where,
					    "give exactly one of MAP646_A_MAP66_GLOBAL and MAP646_A_MAP66_INTERNAL");
		else
			NL_SET_ERR_MSG_ATTR(extack, where,
					    "give exactly one of MAP646_A_MAP_IPV4 and MAP646_A_MAP_IPV6");
		return -EINVAL;
	}
	if ((tb[MAP646_A_MAP_IPV4_LEN] && !a4) ||
	    (tb[MAP646_A_MAP_IPV6_LEN] && !a6)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[MAP646_A_MAP_IPV4_LEN] ?:
				    tb[MAP646_A_MAP_IPV6_LEN],
				    "a prefix length without its address");
		return -EINVAL;
	}
	return 0;
}

/* Find the mapping @tb names (checked by victim_key()). */
static bool victim_find(struct map646_table *t, struct nlattr *const *tb,
			struct victim *v)
{
	const struct nlattr *l4 = tb[MAP646_A_MAP_IPV4_LEN];
	const struct nlattr *l6 = tb[MAP646_A_MAP_IPV6_LEN];
	struct map646_set66 *s66 = map646_table_set66(t);
	struct map646_pfx_set *p = map646_table_pfx(t);
	u8 len4 = l4 ? nla_get_u8(l4) : 32;
	u8 len6 = l6 ? nla_get_u8(l6) : 128;
	struct in6_addr a;

	memset(v, 0, sizeof(*v));
	if (tb[MAP646_A_MAP66_GLOBAL]) {
		a = nla_get_in6_addr(tb[MAP646_A_MAP66_GLOBAL]);
		v->e66 = s66 ? map646_set66_find_global(s66, &a) : NULL;
	} else if (tb[MAP646_A_MAP66_INTERNAL]) {
		a = nla_get_in6_addr(tb[MAP646_A_MAP66_INTERNAL]);
		v->e66 = s66 ? map646_set66_find_internal(s66, &a) : NULL;
	} else if (tb[MAP646_A_MAP_IPV4] && len4 == 32) {
		v->e = map646_table_find4(t, nla_get_in_addr(tb[MAP646_A_MAP_IPV4]));
	} else if (tb[MAP646_A_MAP_IPV4]) {
		v->p = p ? map646_pfx_exact4(p, nla_get_in_addr(tb[MAP646_A_MAP_IPV4]),
					     len4) : NULL;
	} else if (len6 == 128) {
		a = nla_get_in6_addr(tb[MAP646_A_MAP_IPV6]);
		v->e = map646_table_find6(t, &a);
	} else {
		a = nla_get_in6_addr(tb[MAP646_A_MAP_IPV6]);
		v->p = p ? map646_pfx_exact6(p, &a, len6) : NULL;
	}
	return v->e || v->p || v->e66;
}

/* Delete @v from @t, noting what it was in @gone. */
static void victim_del(struct map646_table *t, const struct victim *v,
		       struct map646_spec *gone)
{
	memset(gone, 0, sizeof(*gone));
	if (v->e) {
		gone->eam.v4 = v->e->v4;
		gone->eam.v6 = v->e->v6;
		gone->eam.len4 = 32;
		gone->eam.len6 = 128;
		map646_table_del(t, v->e);
	} else if (v->p) {
		gone->eam = v->p->eam;
		map646_pfx_del(map646_table_pfx(t), v->p);
	} else {
		gone->is66 = true;
		gone->global = v->e66->global;
		gone->internal = v->e66->internal;
		map646_set66_del(map646_table_set66(t), v->e66);
	}
}

/**
 * map646_nl_del() - delete the mapping one address (or block) names
 * @t: table; writer lock held
 * @tb: the attributes, indexed by type
 * @kinds: the kinds allowed here
 * @where: the MAP646_A_MAP nest, or NULL at the top of a request
 * @gone: the mapping deleted
 * @extack: where to say why not
 *
 * Return: 0, -EINVAL or -ENOENT.
 */
int map646_nl_del(struct map646_table *t, struct nlattr *const *tb,
		  unsigned int kinds, const struct nlattr *where,
		  struct map646_spec *gone, struct netlink_ext_ack *extack)
{
	struct victim v;
	int err;

	err = victim_key(tb, kinds, where, extack);
	if (err)
		return err;
	if (!victim_find(t, tb, &v)) {
		NL_SET_ERR_MSG_ATTR(extack, where ?: tb[MAP646_A_MAP_IPV4] ?:
				    tb[MAP646_A_MAP_IPV6] ?:
				    tb[MAP646_A_MAP66_GLOBAL] ?:
				    tb[MAP646_A_MAP66_INTERNAL],
				    "no mapping holds this address");
		return -ENOENT;
	}
	victim_del(t, &v, gone);
	return 0;
}

/**
 * map646_nl_del_batch() - delete a MAP646_A_MAPS batch, all or nothing
 * @t: table; writer lock held
 * @maps: the batch, one address (or block) per MAP646_A_MAP
 * @kinds: the kinds allowed in it
 * @extack: where to say which entry was refused and why
 *
 * Return: 0, -EINVAL or -ENOENT.
 */
int map646_nl_del_batch(struct map646_table *t, const struct nlattr *maps,
			unsigned int kinds, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[MAP646_A_MAX + 1];
	const struct nlattr *entry;
	struct map646_spec gone;
	struct victim v;
	int rem, err;

	nla_for_each_nested(entry, maps, rem) {
		entry_attrs(entry, tb);
		err = victim_key(tb, kinds, entry, extack);
		if (err)
			return err;
		if (!victim_find(t, tb, &v)) {
			NL_SET_ERR_MSG_ATTR(extack, entry,
					    "no mapping holds this address");
			return -ENOENT;
		}
	}
	/* an entry named twice in the batch is gone the second time */
	nla_for_each_nested(entry, maps, rem) {
		entry_attrs(entry, tb);
		if (victim_find(t, tb, &v))
			victim_del(t, &v, &gone);
	}
	return 0;
}

/**
 * map646_nl_put_entry() - the addresses of a single-address mapping
 * @skb: message
 * @e: the mapping
 *
 * Return: 0 or -EMSGSIZE.
 */
int map646_nl_put_entry(struct sk_buff *skb, const struct map646_entry *e)
{
	return nla_put_in_addr(skb, MAP646_A_MAP_IPV4, e->v4) ?:
	       nla_put_in6_addr(skb, MAP646_A_MAP_IPV6, &e->v6);
}

/**
 * map646_nl_put_pfx() - the blocks of a block mapping
 * @skb: message
 * @p: the mapping
 *
 * Return: 0 or -EMSGSIZE.
 */
int map646_nl_put_pfx(struct sk_buff *skb, const struct map646_pfx *p)
{
	return nla_put_in_addr(skb, MAP646_A_MAP_IPV4, p->eam.v4) ?:
	       nla_put_in6_addr(skb, MAP646_A_MAP_IPV6, &p->eam.v6) ?:
	       nla_put_u8(skb, MAP646_A_MAP_IPV4_LEN, p->eam.len4) ?:
	       nla_put_u8(skb, MAP646_A_MAP_IPV6_LEN, p->eam.len6);
}

/**
 * map646_nl_put_entry66() - the addresses of a map66 mapping
 * @skb: message
 * @e: the mapping
 *
 * Return: 0 or -EMSGSIZE.
 */
int map646_nl_put_entry66(struct sk_buff *skb, const struct map646_entry66 *e)
{
	return nla_put_in6_addr(skb, MAP646_A_MAP66_GLOBAL, &e->global) ?:
	       nla_put_in6_addr(skb, MAP646_A_MAP66_INTERNAL, &e->internal);
}
