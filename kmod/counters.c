// SPDX-License-Identifier: GPL-2.0
/*
 * Per-mapping counters: per-CPU slots carved out of shared blocks, so a
 * mapping costs 32 bytes a CPU and no per-CPU allocation of its own.
 */
#include <linux/bitmap.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "compat.h"
#include "counters.h"

/* Blocks with a free slot; slots are given back from RCU callbacks too. */
static DEFINE_SPINLOCK(pool_lock);
static LIST_HEAD(partial);
static unsigned int nr_blocks;

static_assert(sizeof(struct map646_ctr_block) <= 2048);

static struct map646_ctr_block *block_alloc(void)
{
	struct map646_ctr_block *b = kzalloc_obj(*b, GFP_KERNEL_ACCOUNT);

	if (!b)
		return NULL;
	b->stats = __alloc_percpu_gfp(MAP646_CTR_SLOTS * sizeof(*b->stats),
				      __alignof__(*b->stats), GFP_KERNEL_ACCOUNT);
	if (!b->stats) {
		kfree(b);
		return NULL;
	}
	return b;
}

/* Any context: free_percpu() may be called from atomic context. */
static void block_free(struct map646_ctr_block *b)
{
	free_percpu(b->stats);
	kfree(b->base);
	kfree(b);
}

/* Zero slot @slot of @b; nothing on the data path can reach it yet. */
static void slot_clear(struct map646_ctr_block *b, unsigned int slot)
{
	struct map646_map_counters *base = READ_ONCE(b->base);
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(b->stats + slot, cpu), 0, sizeof(*b->stats));
	b->last[slot] = 0;
	if (base)
		memset(&base[slot], 0, sizeof(*base));
}

/**
 * map646_ctr_get() - give a new mapping zeroed counters. May sleep.
 * @blk: where to note their block
 * @slot: and their slot in it
 *
 * Return: 0 or -ENOMEM.
 */
int map646_ctr_get(struct map646_ctr_block **blk, u16 *slot)
{
	struct map646_ctr_block *b, *fresh = NULL;

	for (;;) {
		spin_lock_bh(&pool_lock);
		b = list_first_entry_or_null(&partial, struct map646_ctr_block,
					     node);
		if (!b && fresh) {
			b = fresh;
			fresh = NULL;
			list_add(&b->node, &partial);
			nr_blocks++;
		}
		if (b) {
			*slot = find_first_zero_bit(b->used, MAP646_CTR_SLOTS);
			__set_bit(*slot, b->used);
			if (++b->nr_used == MAP646_CTR_SLOTS)
				list_del_init(&b->node);
		}
		spin_unlock_bh(&pool_lock);
		if (b)
			break;
		fresh = block_alloc();
		if (!fresh)
			return -ENOMEM;
	}
	/* another caller filled the pool while this one allocated */
	if (fresh)
		block_free(fresh);
	slot_clear(b, *slot);
	*blk = b;
	return 0;
}

/**
 * map646_ctr_put() - give a mapping's counters back; any context
 * @b: their block
 * @slot: their slot; no reader can reach it any more
 */
void map646_ctr_put(struct map646_ctr_block *b, unsigned int slot)
{
	bool empty;

	spin_lock_bh(&pool_lock);
	__clear_bit(slot, b->used);
	empty = !--b->nr_used;
	if (empty) {
		list_del(&b->node);
		nr_blocks--;
	} else if (b->nr_used == MAP646_CTR_SLOTS - 1) {
		list_add(&b->node, &partial);
	}
	spin_unlock_bh(&pool_lock);
	if (empty)
		block_free(b);
}

/**
 * map646_ctr_read() - a mapping's counters since the last reset
 * @b: their block
 * @slot: their slot; caller holds the writer lock of the mapping's owner
 * @sum: the sums over the CPUs
 * @last: jiffies of the last translated packet
 *
 * Return: true if the mapping translated a packet since the last reset
 * (only then is @last meaningful).
 */
bool map646_ctr_read(const struct map646_ctr_block *b, unsigned int slot,
		     struct map646_map_counters *sum, unsigned long *last)
{
	const struct map646_map_counters *base = READ_ONCE(b->base);
	unsigned int cpu, start, d;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct map646_map_stats *s = per_cpu_ptr(b->stats + slot,
							       cpu);
		struct map646_map_counters v;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			for (d = 0; d < MAP646_DIRS; d++) {
				v.pkts[d] = u64_stats_read(&s->pkts[d]);
				v.bytes[d] = u64_stats_read(&s->bytes[d]);
			}
		} while (u64_stats_fetch_retry(&s->syncp, start));
		for (d = 0; d < MAP646_DIRS; d++) {
			sum->pkts[d] += v.pkts[d];
			sum->bytes[d] += v.bytes[d];
		}
	}
	for (d = 0; base && d < MAP646_DIRS; d++) {
		sum->pkts[d] -= base[slot].pkts[d];
		sum->bytes[d] -= base[slot].bytes[d];
	}
	*last = READ_ONCE(b->last[slot]);
	return sum->pkts[0] + sum->pkts[1];
}

/**
 * map646_ctr_prepare_reset() - make map646_ctr_reset() on @b unable to fail
 * @b: a block. May sleep.
 *
 * Blocks are shared by the mappings of every device, so two devices may
 * get here at once: the first base published wins.
 *
 * Return: 0 or -ENOMEM.
 */
int map646_ctr_prepare_reset(struct map646_ctr_block *b)
{
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
 * map646_ctr_reset() - count from zero again; the per-CPU counters keep
 * running and what is read is relative to them
 * @b: block prepared with map646_ctr_prepare_reset(); writer lock held
 * @slot: the slot to reset
 */
void map646_ctr_reset(struct map646_ctr_block *b, unsigned int slot)
{
	struct map646_map_counters now;
	unsigned long last;
	unsigned int d;

	map646_ctr_read(b, slot, &now, &last);
	for (d = 0; d < MAP646_DIRS; d++) {
		b->base[slot].pkts[d] += now.pkts[d];
		b->base[slot].bytes[d] += now.bytes[d];
	}
}

/**
 * map646_ctr_pool_empty() - whether every slot was given back (module exit)
 *
 * Return: true when no block is left.
 */
bool map646_ctr_pool_empty(void)
{
	return !nr_blocks;
}
