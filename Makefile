# Gossip Workshop — the front door.
#
#   make run            build, start the visualizer and N nodes, Ctrl+C stops all
#   make test           every test: core, processes, browser
#
# Variables: N (nodes, default 4), BASE_PORT (first node's port, 7001),
# VIS_PORT (visualizer, 8080), NODE (for kill/restart/update/state), and
# NODE_ARGS (extra gossip-node flags, e.g. NODE_ARGS="--interval 200ms").

# The cluster `make run` (or `make nodes`) started remembers its size and
# ports in .run/cluster.mk, so a later `make update`, `make kill` or
# `make restart` reaches that cluster, not another one.
RUN_DIR := .run
ifeq ($(filter run nodes,$(MAKECMDGOALS)),)
-include $(RUN_DIR)/cluster.mk
endif

N ?= 4
BASE_PORT ?= 7001
VIS_PORT ?= 8080
NODE ?= 1
NODE_ARGS ?=
BENCH_ARGS ?=
EX ?=
# IMPL: whose protocol pieces the nodes run: reference, workshop (your code
# in exercises/, module by module as each passes its check) or solutions.
IMPL ?= reference

CARGO ?= cargo
# Where cargo puts what it builds (a set CARGO_TARGET_DIR is followed).
TARGET := $(or $(CARGO_TARGET_DIR),target)
BIN := $(TARGET)/release
# The checker is built once; your files are compiled by it, one module at a
# time, so one module that does not compile never stops another.
CHECKER := $(TARGET)/debug/gossip-check
# The reference cluster needs only these two packages: nothing in exercises/.
CLUSTER_PACKAGES := -p gossip-node -p gossip-visualizer
# The simulator and the bench live in node/tools (package gossip-tools).
TOOL_PACKAGES := $(CLUSTER_PACKAGES) -p gossip-tools

ifeq ($(IMPL),reference)
NODE_CMD := $(BIN)/gossip-node
else ifeq ($(IMPL),workshop)
# The modules of yours that passed, graded once by `make run` (build-workshop).
NODE_CMD := $(BIN)/gossip-node-workshop --pieces yours --modules=$$(cat $(RUN_DIR)/workshop-modules)
else ifeq ($(IMPL),solutions)
NODE_CMD := $(BIN)/gossip-node-workshop --pieces solutions
else
$(error IMPL must be reference, workshop or solutions, not "$(IMPL)")
endif

.DEFAULT_GOAL := help
.PHONY: help run build build-workshop checker test-deps nodes visualizer kill stall restart stop update state room sim crash diagrams bench replay gossip membership anti-entropy check hint progress watch test fmt lint bench-page gray

help: ## show this help
	@echo "Gossip Workshop — make targets"
	@echo
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-12s %s\n", $$1, $$2}'
	@echo
	@echo "Variables: N=$(N) BASE_PORT=$(BASE_PORT) VIS_PORT=$(VIS_PORT) NODE=$(NODE) NODE_ARGS=$(NODE_ARGS) IMPL=$(IMPL) EX=$(EX)"
	@echo "Example:   make kill NODE=3   then   make update NODE=1   then   make restart NODE=3"

build: ## build the release binaries the cluster runs (IMPL says whose pieces)
	@test -x $(BIN)/gossip-node -a -x $(BIN)/gossip-visualizer || echo "Building the node and the visualizer (the first build takes a few minutes; cargo shows its progress)..."
	@$(CARGO) build --release $(CLUSTER_PACKAGES) --bin gossip-node --bin gossip-visualizer
	@$(MAKE) --no-print-directory build-workshop

# IMPL=workshop: your modules compiled one by one into the workshop node and
# graded once (the verdicts go to every node); IMPL=solutions: the node with
# the solutions only, none of your files.
build-workshop:
ifeq ($(IMPL),workshop)
	@$(MAKE) --no-print-directory checker
	@mkdir -p $(RUN_DIR) && $(CHECKER) workshop --passing $(RUN_DIR)/workshop-modules
else ifeq ($(IMPL),solutions)
	@$(CARGO) build --release -p gossip-workshop --no-default-features --bin gossip-node-workshop
else
	@true
endif

# The checker itself (no file of yours is in it).
checker:
	@test -x $(CHECKER) || echo "Building the checker (the first time takes a few minutes on a laptop; cargo shows its progress)..."
	@$(CARGO) build -p gossip-exercises --bin gossip-check $(if $(wildcard $(CHECKER)),--quiet)

# port_of(i), neighbors_of(i): node i listens on BASE_PORT+i-1 and knows all the others.
port_of = $$(( $(BASE_PORT) + $(1) - 1 ))
neighbors_of = $$(for j in $$(seq 1 $(N)); do [ $$j -ne $(1) ] && printf '%s,' $$(( $(BASE_PORT) + j - 1 )); done | sed 's/,$$//')

# start_node(i): start node i in the background; its pid and log go to .run/.
# It runs the command `make run`/`make nodes` chose (IMPL) with the flags it
# was given (NODE_ARGS), kept in .run/node-cmd and .run/node-args, so that
# `make restart` brings a node back with the same code and the same flags
# (NODE_ARGS given to `make restart` itself replace them).
define start_node
	mkdir -p $(RUN_DIR); \
	$$(cat $(RUN_DIR)/node-cmd 2>/dev/null || echo $(NODE_CMD)) --port $(call port_of,$(1)) --id $(1) --neighbors "$(call neighbors_of,$(1))" \
	  --visualizer ws://127.0.0.1:$(VIS_PORT)/ingest $(if $(NODE_ARGS),$(NODE_ARGS),$$(cat $(RUN_DIR)/node-args 2>/dev/null)) > $(RUN_DIR)/node-$(1).log 2>&1 & \
	echo $$! > $(RUN_DIR)/node-$(1).pid; \
	echo "  node $(1)  http://localhost:$(call port_of,$(1))  (pid $$!, log $(RUN_DIR)/node-$(1).log)"
endef

# check_node(i): wait until node i answers /health; if it died, show why and fail.
define check_node
	for t in $$(seq 1 50); do \
	  curl -fsS -o /dev/null http://127.0.0.1:$(call port_of,$(1))/health 2>/dev/null && break; \
	  if ! kill -0 $$(cat $(RUN_DIR)/node-$(1).pid) 2>/dev/null; then \
	    echo "node $(1) did not start:"; cat $(RUN_DIR)/node-$(1).log; rm -f $(RUN_DIR)/node-$(1).pid; exit 1; fi; \
	  sleep 0.1; \
	done
endef

# remember_cluster: what later commands need to reach this cluster and to
# restart its nodes the same way: the command (IMPL), the flags (NODE_ARGS),
# the size and the ports.
define remember_cluster
	mkdir -p $(RUN_DIR) && echo "$(NODE_CMD)" > $(RUN_DIR)/node-cmd && echo '$(NODE_ARGS)' > $(RUN_DIR)/node-args && \
	printf 'N := %s\nBASE_PORT := %s\nVIS_PORT := %s\n' '$(N)' '$(BASE_PORT)' '$(VIS_PORT)' > $(RUN_DIR)/cluster.mk
endef

# start_visualizer(flags): `make run` gives it its folder (--cluster-dir),
# so that the page can kill, restart and add nodes.
define start_visualizer
	mkdir -p $(RUN_DIR); \
	$(BIN)/gossip-visualizer --port $(VIS_PORT) $(1) > $(RUN_DIR)/visualizer.log 2>&1 & \
	echo $$! > $(RUN_DIR)/visualizer.pid; \
	for i in $$(seq 1 50); do \
	  curl -fsS -o /dev/null http://127.0.0.1:$(VIS_PORT)/api/cluster 2>/dev/null && break; \
	  if ! kill -0 $$(cat $(RUN_DIR)/visualizer.pid) 2>/dev/null; then \
	    cat $(RUN_DIR)/visualizer.log; rm -f $(RUN_DIR)/visualizer.pid; exit 1; fi; \
	  sleep 0.1; \
	done; \
	echo "  visualizer  http://localhost:$(VIS_PORT)  (pid $$(cat $(RUN_DIR)/visualizer.pid))"
endef

run: build ## start the visualizer and N nodes; Ctrl+C stops everything
	@$(MAKE) --no-print-directory stop > /dev/null
	@echo "Starting the Gossip Workshop cluster ($(IMPL) protocol pieces):"
	@$(remember_cluster)
	@$(call start_visualizer,--cluster-dir $(RUN_DIR))
	@for i in $$(seq 1 $(N)); do $(call start_node,$$i); done
	@( for i in $$(seq 1 $(N)); do $(call check_node,$$i); done ) || { $(MAKE) --no-print-directory stop > /dev/null; exit 1; }
	@echo
	@echo "  Open http://localhost:$(VIS_PORT) in a browser, then try:"
	@echo
	@echo "    curl -X POST http://localhost:$(BASE_PORT)/update"
	@echo "    curl http://localhost:$$(( $(BASE_PORT) + 2 ))/state"
	@echo "    curl -X POST http://localhost:$(BASE_PORT)/update -H 'Content-Type: application/json' -d '{\"key\": \"color\", \"value\": \"red\"}'"
	@echo "    make kill NODE=3      make update NODE=1      make restart NODE=3   (they reach this cluster: ports $(BASE_PORT)-$$(( $(BASE_PORT) + $(N) - 1 )))"
	@echo
	@echo "  Ctrl+C stops everything. Node logs follow."
	@echo
	@trap '$(MAKE) --no-print-directory stop; exit 0' INT TERM; \
	  tail -q -n +1 -F $(RUN_DIR)/node-*.log 2>/dev/null & tailer=$$!; \
	  while kill -0 $$(cat $(RUN_DIR)/visualizer.pid 2>/dev/null) 2>/dev/null; do sleep 1; done; \
	  kill $$tailer 2>/dev/null; echo "The visualizer stopped; stopping the nodes."; $(MAKE) --no-print-directory stop

visualizer: build ## start only the visualizer, in the background
	@$(start_visualizer)

nodes: build ## start N nodes in the background (add the visualizer with make visualizer)
	@$(remember_cluster)
	@for i in $$(seq 1 $(N)); do $(call start_node,$$i); done
	@for i in $$(seq 1 $(N)); do $(call check_node,$$i); done

# running(pid): alive and not a zombie waiting to be reaped.
running = s=$$(ps -o stat= -p $(1) 2>/dev/null); [ -n "$$s" ] && [ "$${s\#Z}" = "$$s" ]

kill: ## SIGKILL node NODE, like a crash: make kill NODE=3
	@pidfile=$(RUN_DIR)/node-$(NODE).pid; \
	if [ -f $$pidfile ] && kill -0 $$(cat $$pidfile) 2>/dev/null; then \
	  kill -KILL $$(cat $$pidfile) && rm -f $$pidfile && echo "killed node $(NODE) (SIGKILL)"; \
	else echo "node $(NODE) is not running"; rm -f $$pidfile; fi

stall: ## freeze node NODE for FOR seconds (SIGSTOP, then SIGCONT), a degraded node: make stall NODE=3 FOR=3
	@pidfile=$(RUN_DIR)/node-$(NODE).pid; secs=$${FOR:-3}; \
	if [ -f $$pidfile ] && kill -0 $$(cat $$pidfile) 2>/dev/null; then \
	  pid=$$(cat $$pidfile); kill -STOP $$pid && echo "node $(NODE) stalled (SIGSTOP) for $$secs s"; \
	  sleep $$secs; kill -CONT $$pid && echo "node $(NODE) runs again (SIGCONT)"; \
	else echo "node $(NODE) is not running"; fi

restart: ## start node NODE again, with an empty store: make restart NODE=3
	@pidfile=$(RUN_DIR)/node-$(NODE).pid; \
	if [ -f $$pidfile ] && kill -0 $$(cat $$pidfile) 2>/dev/null; then \
	  pid=$$(cat $$pidfile); kill -TERM $$pid; while $(call running,$$pid); do sleep 0.1; done; fi; \
	test -x $(BIN)/gossip-node || $(CARGO) build --release $(CLUSTER_PACKAGES) --bin gossip-node --bin gossip-visualizer; \
	$(call start_node,$(NODE)); \
	$(call check_node,$(NODE))

stop: ## stop everything make started (SIGTERM, then SIGKILL after 5 s)
	@pids=""; \
	for pidfile in $(RUN_DIR)/*.pid; do \
	  [ -f "$$pidfile" ] || continue; pid=$$(cat $$pidfile); rm -f $$pidfile; \
	  if kill -TERM $$pid 2>/dev/null; then pids="$$pids $$pid"; echo "stopping $$(basename $$pidfile .pid) (pid $$pid)"; fi; \
	done; \
	for i in $$(seq 1 50); do \
	  left=""; for pid in $$pids; do if $(call running,$$pid); then left="$$left $$pid"; fi; done; \
	  [ -z "$$left" ] && break; sleep 0.1; \
	done; \
	for pid in $$left; do kill -KILL $$pid 2>/dev/null && echo "pid $$pid ignored SIGTERM: killed"; done; \
	rm -f $(RUN_DIR)/cluster.mk; true

update: ## inject a demo update into node NODE (curl -X POST .../update)
	@curl -sS -X POST http://localhost:$(call port_of,$(NODE))/update; echo

state: ## show node NODE's state (curl .../state)
	@curl -sS http://localhost:$(call port_of,$(NODE))/state; echo

# The room: one node per laptop. The key and the visualizer's token are
# made once, kept in .run/room (delete it for a new room), and never typed
# by anyone but the instructor.
ROOM_IP ?= $(shell hostname -I 2>/dev/null | awk '{print $$1}')
room: ## print the commands for a room of laptops: yours, and the line each participant runs
	@mkdir -p $(RUN_DIR)
	@[ -s $(RUN_DIR)/room ] || printf 'KEY=%s\nTOKEN=%s\n' \
	  "$$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')" "$$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')" > $(RUN_DIR)/room
	@. $(RUN_DIR)/room; ip="$(ROOM_IP)"; [ -n "$$ip" ] || ip="YOUR-IP"; \
	echo "On your laptop (the instructor's), at $$ip, in two terminals:"; \
	echo "  $(BIN)/gossip-visualizer --bind 0.0.0.0 --ingest-token $$TOKEN"; \
	echo "  $(BIN)/gossip-node --bind 0.0.0.0 --advertise $$ip:$(BASE_PORT) --id 1 --cluster-key $$KEY --visualizer 'ws://127.0.0.1:$(VIS_PORT)/ingest?token='$$TOKEN"; \
	echo; \
	echo "Each participant, with their own id N (2, 3, ...) and their laptop's address:"; \
	echo "  target/release/gossip-node --bind 0.0.0.0 --advertise THEIR-IP:$(BASE_PORT) --id N --neighbors $$ip:$(BASE_PORT) --cluster-key $$KEY --visualizer 'ws://'$$ip':$(VIS_PORT)/ingest?token='$$TOKEN"; \
	echo; \
	echo "Open http://$$ip:$(VIS_PORT) on the projector. (Key and token: $(RUN_DIR)/room.)"

sim: ## the simulator: one rumor through a million nodes, then theory vs measurement
	@$(CARGO) build --release $(TOOL_PACKAGES) --bin gossip-sim
	$(BIN)/gossip-sim spread --nodes 1000000 --mode push-pull
	$(BIN)/gossip-sim theory --runs 200

crash: ## the full protocol on 10,000 simulated nodes: a write and a crash (~30 s, ~5 GB)
	@$(CARGO) build --release $(TOOL_PACKAGES) --bin gossip-sim
	$(BIN)/gossip-sim crash --nodes 10000

diagrams: ## redraw the README's charts (docs/*.svg) from fresh simulations
	@$(CARGO) build --release $(TOOL_PACKAGES) --bin gossip-sim
	$(BIN)/gossip-sim diagrams --out docs

bench: ## figures: simulator at 10^6/10^7 nodes, live 4 and 32 nodes, beside HashiCorp Serf
	@$(CARGO) build --release $(TOOL_PACKAGES) --bin gossip-node --bin gossip-sim --bin gossip-bench
	$(BIN)/gossip-bench $(BENCH_ARGS)

gray: ## gray failure on real processes: false deaths and detection, Lifeguard on and off (10 minutes)
	@$(CARGO) build --release $(TOOL_PACKAGES) --bin gossip-node --bin gossip-gray
	$(BIN)/gossip-gray $(BENCH_ARGS)

bench-page: ## frame times of the page in Chromium: live 4, 32, 200 nodes and replays at 10x
	@$(CARGO) build --release $(TOOL_PACKAGES) --bin gossip-node --bin gossip-sim --bin gossip-visualizer --bin gossip-page-bench
	$(BIN)/gossip-page-bench $(BENCH_ARGS)

replay: ## record a simulated 200-node run (crashes, a partition) and replay it in the page
	@$(CARGO) build --release $(TOOL_PACKAGES) --bin gossip-sim --bin gossip-visualizer
	@mkdir -p $(RUN_DIR)
	@$(BIN)/gossip-sim trace --nodes 200 --seconds 60 --out $(RUN_DIR)/run.jsonl
	@echo "Open http://localhost:$(VIS_PORT); Ctrl+C stops the replay."
	@$(BIN)/gossip-visualizer --port $(VIS_PORT) --replay $(RUN_DIR)/run.jsonl

gossip: ## narrated: one rumor through 8 simulated nodes, who tells whom
	@$(CARGO) build --release $(TOOL_PACKAGES) --bin gossip-sim
	@$(BIN)/gossip-sim demo gossip

membership: ## narrated: a node joins through one neighbor; SWIM detects a crash
	@$(CARGO) build --release $(TOOL_PACKAGES) --bin gossip-sim
	@$(BIN)/gossip-sim demo membership

anti-entropy: ## narrated: a restarted node catches up only with anti-entropy
	@$(CARGO) build --release $(TOOL_PACKAGES) --bin gossip-sim
	@$(BIN)/gossip-sim demo anti-entropy

check: checker ## grade your exercise on the simulator: make check EX=04
	@test -n "$(EX)" || { echo "Which module? For example: make check EX=04"; exit 2; }
	@$(CHECKER) check $(EX)

hint: checker ## the next hint for an exercise, one at a time: make hint EX=04 (ALL=1: every hint; RESET=1: from the first)
	@test -n "$(EX)" || { echo "Which module? For example: make hint EX=04"; exit 2; }
	@$(CHECKER) hint $(EX) $(if $(ALL),--all) $(if $(RESET),--reset)

progress: checker ## which exercises pass their checks
	@$(CHECKER) progress

watch: checker ## check an exercise again every time you save it: make watch EX=04
	@test -n "$(EX)" || { echo "Which module? For example: make watch EX=04"; exit 2; }
	@$(CHECKER) watch $(EX)

# What the tests need from the system, as command:package: the browser test
# drives Debian's Chromium through its driver, the bench test runs real Serf.
SYSTEM_TOOLS := chromium:chromium chromedriver:chromium-driver serf:serf curl:curl

# Install what is missing when this machine lets us (root, or sudo without a
# password, and apt); otherwise say in one line what to run, and go on.
test-deps:
	@missing=""; for pair in $(SYSTEM_TOOLS); do \
	  command -v $${pair%%:*} > /dev/null 2>&1 || missing="$$missing $${pair#*:}"; done; \
	[ -z "$$missing" ] && exit 0; \
	as=none; if command -v apt-get > /dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then as=""; elif sudo -n true 2> /dev/null; then as="sudo -n"; fi; fi; \
	if [ "$$as" = none ]; then \
	  echo "make test: missing$$missing: the browser and bench tests need them; install with: sudo apt-get install -y$$missing"; \
	else \
	  echo "make test: installing$$missing from the system's packages (once; a minute or two)..."; \
	  { $$as apt-get update -qq && $$as env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq$$missing > /dev/null; } \
	    || echo "make test: could not install$$missing; try: sudo apt-get install -y$$missing"; \
	fi

# One build for the whole suite: first the binaries the process tests start
# (they find them in $(TARGET)/debug), then the tests. No dev-dependency turns
# on a feature of a crate the binaries use, so the test build reuses every
# unit the first build made and compiles only the tests themselves.
test: test-deps ## run every test: core, real processes, real browser (installs Chromium and Serf if it can)
	$(CARGO) build --workspace --bins
	@if $(CARGO) nextest --version > /dev/null 2>&1; then \
	  echo "$(CARGO) nextest run --workspace --no-fail-fast"; $(CARGO) nextest run --workspace --no-fail-fast; \
	else \
	  echo "$(CARGO) test --workspace --no-fail-fast"; $(CARGO) test --workspace --no-fail-fast; \
	fi

fmt: ## format the code
	$(CARGO) fmt --all

lint: ## rustfmt check and clippy with warnings as errors
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
