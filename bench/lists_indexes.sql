-- Indexes the flow's "by step" pages need on viewflow's task table (viewflow declares none on
-- flow_task). Proposed as a RunSQL migration of the workflows app; bench/lists_bench.py applies it.
-- Dashboard columns: a step's open tasks, newest first.
CREATE INDEX IF NOT EXISTS workflows_task_open_by_node ON viewflow_task (flow_task, id) WHERE finished IS NULL;
-- The task list filtered to one step.
CREATE INDEX IF NOT EXISTS workflows_task_by_node ON viewflow_task (flow_task, id);
