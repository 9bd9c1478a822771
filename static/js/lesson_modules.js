// The live step of each exercise module, as its README gives it: the
// command to run once the module's check passes, and what to watch. A test
// (node/tests/docs.rs) checks that every command here is in that README.

export const MODULES = [
  { name: "01 Versions", readme: "01_versions", command: "make run IMPL=workshop", watch: "write color on two nodes at once: the page shows which write lost, where, and why." },
  { name: "02 Push rumors", readme: "02_push_rumor", command: 'make run IMPL=workshop NODE_ARGS="--rumor-stop coin --rumor-k 2 --fanout 1"', watch: "infected, removed, and the residue that never heard (try N=12)." },
  { name: "03 Pull", readme: "03_pull", command: 'make run IMPL=workshop NODE_ARGS="--mode pull --fanout 1"', watch: "with pull every copy that travels is news; compare the rounds with push." },
  { name: "04 Anti-entropy", readme: "04_anti_entropy", command: 'make run IMPL=workshop NODE_ARGS="--anti-entropy 2s"', watch: "node 3, restarted late, catches up by an exchange." },
  { name: "05 Heartbeats", readme: "05_heartbeat", command: 'make run IMPL=workshop NODE_ARGS="--detector heartbeat --interval 500ms"', watch: "a killed node goes red node by node, each judging alone." },
  { name: "06 SWIM", readme: "06_swim", command: "make run IMPL=workshop", watch: "a killed node suspected, then dead; a paused one refutes." },
  { name: "07 Storms", readme: "07_storms", command: "make run IMPL=workshop N=8", watch: "restart four nodes at once: the messages rise and fall back." },
  { name: "08 Push-sum", readme: "08_aggregation", command: 'make run IMPL=workshop NODE_ARGS="--value 7"', watch: "every node's estimate of the average, in /state." },
  { name: "09 Plumtree", readme: "09_plumtree", command: 'make run IMPL=workshop NODE_ARGS="--mode plumtree"', watch: "the first update floods; from the second on, a tree of three payloads." },
  { name: "10 Lifeguard", readme: "10_lifeguard", command: "make stall NODE=4 FOR=8", watch: "node 4 is frozen for 8 s: it suspects others when it wakes, and nobody healthy goes dead." },
];
