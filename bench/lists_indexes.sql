-- What the flow's "by step" pages need on viewflow's task table, which declares no index on
-- flow_task. Proposed as a migration of the workflows app (RunSQL; the statistics are
-- PostgreSQL-only); bench/lists_bench.py applies this file.
-- The task list filtered to one step, newest first.
CREATE INDEX IF NOT EXISTS workflows_task_by_node ON viewflow_task (flow_task, id);
-- Dashboard columns: a step's open tasks (status in NEW, ASSIGNED, STARTED, ERROR), newest first.
CREATE INDEX IF NOT EXISTS workflows_task_by_node_status ON viewflow_task (flow_task, status, id);
-- Without joint statistics the planner multiplies "this step" by "open" and, for a step whose
-- tasks are all done, expects thousands of open ones and walks the whole primary key instead.
CREATE STATISTICS IF NOT EXISTS workflows_task_node_status (mcv) ON flow_task, status FROM viewflow_task;
