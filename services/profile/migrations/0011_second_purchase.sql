-- When each customer's second order happened (event time): "repeat purchasers by the end of a period" is then one
-- pass over the customers, not a grouping of every order per customer (profile's /report, the KPI tree).
-- Kept like first_purchase_at: the second smallest order time of the batch's deltas and of a merge's two rows.
ALTER TABLE customers ADD COLUMN second_purchase_at timestamptz;

UPDATE customers c
   SET second_purchase_at = s.second_at
  FROM (SELECT workspace, customer_id, (array_agg(occurred_at ORDER BY occurred_at))[2] AS second_at
          FROM orders GROUP BY workspace, customer_id HAVING count(*) >= 2) AS s
 WHERE c.workspace = s.workspace AND c.customer_id = s.customer_id
   AND c.merged_into IS NULL AND c.erased_at IS NULL;
