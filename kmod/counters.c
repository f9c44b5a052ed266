// SPDX-License-Identifier: GPL-2.0
/*
 * Per-mapping counters whose memory does not grow with the CPU count.
 *
 * A mapping owns one counter (40 bytes: packets and bytes each way, the
 * time of its last packet) in a block of MAP646_CTR_SLOTS, found by its id.
 * The data path does not write there: each CPU counts into a cache of its
 * own, MAP646_CTR_CACHE slots direct-mapped by id, and a slot's counts move
 * to their counter (atomically: CPUs may move counts of one mapping at
 * once) only when another counter takes the slot over. A busy mapping's
 * counts so stay in the caches of the CPUs that translate for it, as
 * per-CPU counters would, while a counter costs the same on 2 CPUs as on
 * 256; the caches cost the same whatever the number of mappings.
 *
 * A read sums the counter and what the caches hold for it, and starts
 * over when counts moved meanwhile, so that it neither counts a move twice
 * nor misses one. A freed counter is dropped from every cache and reused
 * only after an RCU grace period, once any CPU still moving counts to it
 * (the data path is an RCU reader) has finished.
 */
#include <linux/bitmap.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/xarray.h>
#include "compat.h"
#include "counters.h"

/* Counters per block: the block fits in 8 KiB. */
#define MAP646_CTR_SLOTS	200

/**
 * struct map646_ctr - the counts of one mapping that left the CPU caches
 * @pkts: packets per direction
 * @bytes: bytes per direction
 * @last: jiffies of the last packet among them, 0 for none
 */
struct map646_ctr {
	atomic64_t pkts[MAP646_DIRS];
	atomic64_t bytes[MAP646_DIRS];
	unsigned long last;
};

/**
 * struct map646_ctr_block - %MAP646_CTR_SLOTS counters
 * @ctr: the counters
 * @base: what each counter read at the last reset; NULL until the first
 *	  reset, then set once
 * @node: link in the pool's list of blocks with a slot not in use
 * @used: the counters in use
 * @cooling: counters freed less than a grace period ago (at @freed)
 * @freed: RCU state when the last of them was freed
 * @first: id of @ctr[0]
 * @nr_used: the number of counters in use
 * @rcu: deferred free
 */
struct map646_ctr_block {
	struct map646_ctr ctr[MAP646_CTR_SLOTS];
	struct map646_map_counters *base;
	struct list_head node;
	DECLARE_BITMAP(used, MAP646_CTR_SLOTS);
	DECLARE_BITMAP(cooling, MAP646_CTR_SLOTS);
	unsigned long freed;
	u32 first;
	unsigned int nr_used;
	struct rcu_head rcu;
};

static_assert(sizeof(struct map646_ctr_block) <= 8192);

/* Each CPU's cache; the data path counts here. */
struct map646_ctr_slot __percpu *map646_ctr_cache;

/* Blocks by id / MAP646_CTR_SLOTS; looked up under RCU when counts move. */
static DEFINE_XARRAY_FLAGS(blocks, XA_FLAGS_ALLOC | XA_FLAGS_LOCK_BH);

/* Blocks with a slot not in use; counters are freed from RCU callbacks. */
static DEFINE_SPINLOCK(pool_lock);
static LIST_HEAD(partial);

static struct map646_ctr *ctr_of(u32 id)
{
	struct map646_ctr_block *b = xa_load(&blocks, id / MAP646_CTR_SLOTS);

	return b ? &b->ctr[id % MAP646_CTR_SLOTS] : NULL;
}

static struct map646_ctr_slot *slot_of(unsigned int cpu, u32 id)
{
	return per_cpu_ptr(map646_ctr_cache, cpu) +
	       (id & (MAP646_CTR_CACHE - 1));
}

/* Raise @c->last to @last, against other CPUs doing the same. */
static void last_raise(struct map646_ctr *c, unsigned long last)
{
	unsigned long cur = READ_ONCE(c->last);

	while (last && (!cur || time_after(last, cur))) {
		unsigned long seen = cmpxchg(&c->last, cur, last);

		if (seen == cur)
			break;
		cur = seen;
	}
}

/**
 * map646_ctr_take() - give a cache slot to another counter; data path
 * @s: this CPU's slot for @id
 * @id: the counter that takes it
 *
 * The counts the slot holds move to the counter they belong to, unless it
 * was freed meanwhile (its block may be gone: then they go with it).
 */
void map646_ctr_take(struct map646_ctr_slot *s, u32 id)
{
	u32 old = READ_ONCE(s->key);
	struct map646_ctr *c;
	unsigned int d;

	write_seqcount_begin(&s->seq);
	c = old == MAP646_CTR_NONE ? NULL : ctr_of(old);
	if (c) {
		for (d = 0; d < MAP646_DIRS; d++) {
			atomic64_add(u64_stats_read(&s->pkts[d]), &c->pkts[d]);
			atomic64_add(u64_stats_read(&s->bytes[d]), &c->bytes[d]);
		}
		last_raise(c, s->last);
	}
	u64_stats_update_begin(&s->syncp);
	for (d = 0; d < MAP646_DIRS; d++) {
		u64_stats_set(&s->pkts[d], 0);
		u64_stats_set(&s->bytes[d], 0);
	}
	u64_stats_update_end(&s->syncp);
	s->last = 0;
	/* a remote map646_ctr_put() only ever swaps a freed id for NONE */
	WRITE_ONCE(s->key, id);
	write_seqcount_end(&s->seq);
}

/* What @cpu's cache holds for @id, added to @sum and @last. */
static void cached_add(unsigned int cpu, u32 id,
		       struct map646_map_counters *sum, unsigned long *last)
{
	const struct map646_ctr_slot *s = slot_of(cpu, id);
	struct map646_map_counters v;
	unsigned int seq, start, d;
	unsigned long at;
	bool mine;

	do {
		seq = read_seqcount_begin(&s->seq);
		mine = READ_ONCE(s->key) == id;
		if (!mine)
			continue;
		do {
			start = u64_stats_fetch_begin(&s->syncp);
			for (d = 0; d < MAP646_DIRS; d++) {
				v.pkts[d] = u64_stats_read(&s->pkts[d]);
				v.bytes[d] = u64_stats_read(&s->bytes[d]);
			}
		} while (u64_stats_fetch_retry(&s->syncp, start));
		at = READ_ONCE(s->last);
	} while (read_seqcount_retry(&s->seq, seq));
	if (!mine)
		return;
	for (d = 0; d < MAP646_DIRS; d++) {
		sum->pkts[d] += v.pkts[d];
		sum->bytes[d] += v.bytes[d];
	}
	if (at && (!*last || time_after(at, *last)))
		*last = at;
}

static u64 moved_pkts(const struct map646_ctr *c)
{
	return atomic64_read(&c->pkts[MAP646_DIR_4TO6]) +
	       atomic64_read(&c->pkts[MAP646_DIR_6TO4]);
}

/* Counter @id summed with what every cache holds for it. */
static void ctr_sum(u32 id, struct map646_map_counters *sum,
		    unsigned long *last)
{
	const struct map646_ctr *c = ctr_of(id);
	unsigned int cpu, d;
	u64 moved;

	do {
		for (d = 0; d < MAP646_DIRS; d++) {
			sum->pkts[d] = atomic64_read(&c->pkts[d]);
			sum->bytes[d] = atomic64_read(&c->bytes[d]);
		}
		moved = sum->pkts[MAP646_DIR_4TO6] + sum->pkts[MAP646_DIR_6TO4];
		*last = READ_ONCE(c->last);
		/* a move seen here is seen begun in the slot's seqcount */
		smp_rmb();
		for_each_possible_cpu(cpu)
			cached_add(cpu, id, sum, last);
		/* pairs with the slot's seqcount: a move seen there is here */
		smp_rmb();
	} while (moved_pkts(c) != moved);
}

static void block_free_rcu(struct rcu_head *head)
{
	struct map646_ctr_block *b = container_of(head, struct map646_ctr_block,
						  rcu);

	xa_erase_bh(&blocks, b->first / MAP646_CTR_SLOTS);
	kfree(b->base);
	kfree(b);
}

/*
 * Any context, the block taken off every list. A CPU may still move counts
 * to it, having found it by an id it read before its counter was freed:
 * neither the block nor its place may be given to others before it is done.
 */
static void block_free(struct map646_ctr_block *b)
{
	call_rcu(&b->rcu, block_free_rcu);
}

static struct map646_ctr_block *block_alloc(void)
{
	struct map646_ctr_block *b = kzalloc_obj(*b, GFP_KERNEL_ACCOUNT);
	u32 index;

	if (!b)
		return NULL;
	if (xa_alloc_bh(&blocks, &index, b,
			XA_LIMIT(0, MAP646_CTR_NONE / MAP646_CTR_SLOTS - 1),
			GFP_KERNEL_ACCOUNT)) {
		kfree(b);
		return NULL;
	}
	b->first = index * MAP646_CTR_SLOTS;
	return b;
}

/* A slot of @b free to use, or -1. Caller holds the pool lock. */
static int block_take(struct map646_ctr_block *b)
{
	unsigned int i;

	if (!bitmap_empty(b->cooling, MAP646_CTR_SLOTS) &&
	    poll_state_synchronize_rcu(b->freed))
		bitmap_zero(b->cooling, MAP646_CTR_SLOTS);
	for_each_clear_bit(i, b->used, MAP646_CTR_SLOTS)
		if (!test_bit(i, b->cooling))
			return i;
	return -1;
}

/**
 * map646_ctr_get() - a zeroed counter for a new mapping. May sleep.
 * @id: where to put its id
 *
 * Return: 0 or -ENOMEM.
 */
int map646_ctr_get(u32 *id)
{
	struct map646_ctr_block *b, *fresh = NULL;
	bool cooling, waited = false;
	struct map646_ctr *c;
	int slot, d;

	for (;;) {
		cooling = false;
		spin_lock_bh(&pool_lock);
		list_for_each_entry(b, &partial, node) {
			slot = block_take(b);
			if (slot >= 0)
				goto found;
			cooling = true;
		}
		if (fresh) {
			b = fresh;
			fresh = NULL;
			list_add(&b->node, &partial);
			slot = 0;
			goto found;
		}
		spin_unlock_bh(&pool_lock);
		/* counters freed a moment ago: wait for them, once */
		if (cooling && !waited) {
			synchronize_rcu();
			waited = true;
			continue;
		}
		fresh = block_alloc();
		if (!fresh)
			return -ENOMEM;
	}
found:
	__set_bit(slot, b->used);
	if (++b->nr_used == MAP646_CTR_SLOTS)
		list_del_init(&b->node);
	spin_unlock_bh(&pool_lock);
	/* another caller filled the pool while this one allocated */
	if (fresh)
		block_free(fresh);

	/* no cache holds it, no CPU still moves counts to it */
	c = &b->ctr[slot];
	for (d = 0; d < MAP646_DIRS; d++) {
		atomic64_set(&c->pkts[d], 0);
		atomic64_set(&c->bytes[d], 0);
	}
	c->last = 0;
	if (b->base)
		memset(&b->base[slot], 0, sizeof(*b->base));
	*id = b->first + slot;
	return 0;
}

/**
 * map646_ctr_put() - free a counter; any context
 * @id: the counter; no mapping that counts through it is reachable
 */
void map646_ctr_put(u32 id)
{
	struct map646_ctr_block *b = xa_load(&blocks, id / MAP646_CTR_SLOTS);
	unsigned int cpu, slot = id % MAP646_CTR_SLOTS;
	bool empty;

	/* its counts in a cache go nowhere, and not to its next owner */
	for_each_possible_cpu(cpu) {
		struct map646_ctr_slot *s = slot_of(cpu, id);

		if (READ_ONCE(s->key) == id)
			cmpxchg(&s->key, id, MAP646_CTR_NONE);
	}

	spin_lock_bh(&pool_lock);
	__clear_bit(slot, b->used);
	__set_bit(slot, b->cooling);
	b->freed = get_state_synchronize_rcu();
	empty = !--b->nr_used;
	if (empty)
		list_del(&b->node);
	else if (b->nr_used == MAP646_CTR_SLOTS - 1)
		list_add(&b->node, &partial);
	spin_unlock_bh(&pool_lock);
	if (empty)
		block_free(b);
}

/**
 * map646_ctr_read() - a mapping's counters since the last reset
 * @id: its counter; caller holds the writer lock of the mapping's owner
 * @sum: the sums over the CPUs
 * @last: jiffies of the last translated packet
 *
 * Return: true if the mapping translated a packet since the last reset
 * (only then is @last meaningful).
 */
bool map646_ctr_read(u32 id, struct map646_map_counters *sum,
		     unsigned long *last)
{
	const struct map646_ctr_block *b = xa_load(&blocks,
						   id / MAP646_CTR_SLOTS);
	const struct map646_map_counters *base = READ_ONCE(b->base);
	unsigned int d, slot = id % MAP646_CTR_SLOTS;

	ctr_sum(id, sum, last);
	for (d = 0; base && d < MAP646_DIRS; d++) {
		sum->pkts[d] -= base[slot].pkts[d];
		sum->bytes[d] -= base[slot].bytes[d];
	}
	return sum->pkts[MAP646_DIR_4TO6] + sum->pkts[MAP646_DIR_6TO4];
}

/**
 * map646_ctr_prepare_reset() - make map646_ctr_reset() of @id unable to
 * fail. May sleep.
 * @id: a counter
 *
 * Blocks are shared by the mappings of every device, so two devices may
 * get here at once: the first base published wins.
 *
 * Return: 0 or -ENOMEM.
 */
int map646_ctr_prepare_reset(u32 id)
{
	struct map646_ctr_block *b = xa_load(&blocks, id / MAP646_CTR_SLOTS);
	struct map646_map_counters *base;

	if (READ_ONCE(b->base))
		return 0;
	base = kcalloc(MAP646_CTR_SLOTS, sizeof(*base), GFP_KERNEL_ACCOUNT);
	if (!base)
		return -ENOMEM;
	if (cmpxchg(&b->base, NULL, base))
		kfree(base);
	return 0;
}

/**
 * map646_ctr_reset() - count from zero again; the counts keep running and
 * what is read is relative to them
 * @id: a counter prepared with map646_ctr_prepare_reset(); writer lock held
 */
void map646_ctr_reset(u32 id)
{
	struct map646_ctr_block *b = xa_load(&blocks, id / MAP646_CTR_SLOTS);
	struct map646_map_counters *base = &b->base[id % MAP646_CTR_SLOTS];
	struct map646_map_counters now;
	unsigned long last;

	ctr_sum(id, &now, &last);
	*base = now;
}

/**
 * map646_ctr_init() - allocate the CPU caches
 *
 * Return: 0 or -ENOMEM.
 */
int map646_ctr_init(void)
{
	unsigned int cpu, i;

	map646_ctr_cache = __alloc_percpu(sizeof(struct map646_ctr_slot) *
					  MAP646_CTR_CACHE,
					  __alignof__(struct map646_ctr_slot));
	if (!map646_ctr_cache)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		for (i = 0; i < MAP646_CTR_CACHE; i++) {
			struct map646_ctr_slot *s = slot_of(cpu, i);

			s->key = MAP646_CTR_NONE;
			seqcount_init(&s->seq);
			u64_stats_init(&s->syncp);
		}
	}
	return 0;
}

/**
 * map646_ctr_exit() - free the caches once every counter is freed
 */
void map646_ctr_exit(void)
{
	WARN_ON(!xa_empty(&blocks));
	free_percpu(map646_ctr_cache);
}
