-- One delivery process per bot (issue 18): flood control is handled by the one sending budget,
-- so the table several delivery processes used to share a 429 pause is gone.
DROP TABLE IF EXISTS delivery_pause;
