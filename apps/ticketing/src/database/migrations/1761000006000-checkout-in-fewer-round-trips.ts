import type { MigrationInterface, QueryRunner } from 'typeorm';

// Two pieces of the checkout's path that run inside Postgres (ADR 21).
//
// ticketing_confirm_seats: the confirm-seats step in one round trip. Its statements are the
// ones the step used to send one by one, in the same order and under the same locks; each
// takes its own snapshot, as separate statements do. The inner block is a subtransaction:
// a refusal raises, which undoes every fence it advanced and every seat it sold, while the
// caller's transaction (its inbox row and the step's reply) goes on. Returns null when the
// seats are sold to the order, or the refusal's reason.
//
// checkout_settled: a NOTIFY, delivered when the transaction commits and to every instance
// that listens, whenever a checkout saga reaches an end a buyer waits for (a terminal status,
// or quarantine). The payload is the saga id, which is the order id.
export class CheckoutInFewerRoundTrips1761000006000 implements MigrationInterface {
  name = 'CheckoutInFewerRoundTrips1761000006000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create function ticketing_confirm_seats(
        p_order uuid, p_hold uuid, p_event uuid, p_user text,
        -- One entry per seat, sorted by seat id: every writer locks fences in one order.
        p_seats text[], p_fences text[], p_tokens bigint[]
      ) returns text language plpgsql as $$
      declare
        v_status text;
        v_order uuid;
        v_current bigint;
        v_unsold text[];
        v_refusal text;
      begin
        -- A resent attempt of a confirmation that already took effect answers as the first
        -- did, whatever happened to the fences since: only a confirmation sets 'purchased'.
        select status, order_id into v_status, v_order from holds where id = p_hold;
        if v_order = p_order and v_status = 'purchased' then
          return null;
        end if;
        begin
          for i in 1 .. cardinality(p_seats) loop
            -- The fence advances only to a token at least as high as the stored one, and
            -- stays locked until commit, so no other confirmation of the seat interleaves.
            insert into coordination_fences as f (resource, token) values (p_fences[i], p_tokens[i])
              on conflict (resource) do update set token = excluded.token, updated_at = now()
                where f.token <= excluded.token
              returning f.token into v_current;
            if not found then
              select token into v_current from coordination_fences where resource = p_fences[i];
              v_refusal := format('stale hold: seat %s was held after it (token %s < %s)',
                                  p_seats[i], p_tokens[i], v_current);
              raise exception using errcode = 'TK001';
            end if;
          end loop;
          -- Only the order that verified the hold may sell its seats: a confirmation that
          -- arrives after its checkout was compensated (the hold released) sells nothing.
          select status, order_id into v_status, v_order from holds where id = p_hold for update;
          if v_order is distinct from p_order
             or v_status is null or v_status not in ('checking-out', 'purchased') then
            v_refusal := format('hold %s is not being checked out by order %s (%s)',
                                p_hold, p_order, coalesce(v_status, 'unknown'));
            raise exception using errcode = 'TK001';
          end if;
          -- A seat is sold only from available (or again to the same order).
          with sold as (
            update seats s
               set status = 'sold', sold_to = p_user, order_id = p_order, fence_token = t.token
              from unnest(p_seats, p_tokens) as t(seat_id, token)
             where s.event_id = p_event and s.seat_id = t.seat_id
               and (s.status = 'available' or s.order_id = p_order)
            returning s.seat_id)
          select coalesce(array_agg(seat_id order by seat_id), '{}') into v_unsold
            from unnest(p_seats) as seat_id
           where seat_id not in (select seat_id from sold);
          if cardinality(v_unsold) > 0 then
            v_refusal := 'seats already sold: ' || array_to_string(v_unsold, ', ');
            raise exception using errcode = 'TK001';
          end if;
          update holds set status = 'purchased' where id = p_hold and status = 'checking-out';
          return null;
        exception when sqlstate 'TK001' then
          return v_refusal;
        end;
      end $$`);
    await queryRunner.query(`
      create function ticketing_notify_checkout_settled() returns trigger language plpgsql as $$
      begin
        perform pg_notify('checkout_settled', new.id);
        return null;
      end $$`);
    await queryRunner.query(`
      create trigger checkout_settled
        after update of status, quarantined_at on saga_instances
        for each row
        when (new.saga_type = 'ticketing.checkout'
              and ((new.status in ('completed', 'compensated', 'failed')
                    and old.status is distinct from new.status)
                   or (new.quarantined_at is not null and old.quarantined_at is null)))
        execute function ticketing_notify_checkout_settled()`);
  }

  async down(): Promise<void> {
    throw new Error('forward-only migration');
  }
}
