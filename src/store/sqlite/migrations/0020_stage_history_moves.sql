-- The contacts list's move filter (`moved_out=`, the funnel period view's forward and dropped
-- counts) asks for the stage changes of a period from some stages to others. Through the index
-- on `at` that is a walk of every change of the period (about a million a quarter at 1,000,000
-- contacts: 0.6 s) to find a few thousand; by (from, to, at) it is one range seek per pair of
-- stages (measured: 2 ms for the 7,327 moves to customer of a quarter).
CREATE INDEX stage_history_moves ON stage_history (from_stage, to_stage, at, contact_id);
