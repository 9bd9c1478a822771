// "What just happened": the last few protocol steps, in words.

const KEEP = 12;

export class Log {
  constructor(root) {
    this.list = root.querySelector("#log");
    this.pending = []; // lines since the last frame, newest last
  }

  // Lines are written once a frame, and only the last few of them: 200
  // nodes joining say 40,000 things in a few seconds.
  add(text) {
    this.pending.push(text);
    if (this.pending.length > KEEP) this.pending.shift();
    if (this.pending.length === 1) requestAnimationFrame(() => this.flush());
  }

  flush() {
    const items = this.pending.reverse().map((text) => {
      const item = document.createElement("li");
      item.textContent = text; // values come from users: text only
      return item;
    });
    this.pending = [];
    this.list.prepend(...items);
    while (this.list.children.length > KEEP) this.list.lastElementChild.remove();
  }

  // A sentence for the events worth one, or nothing.
  describe(message) {
    switch (message.type) {
      case "entry_changed": {
        if (message.previous && message.previous_value !== undefined && message.previous.version === message.version) {
          // Two concurrent writes: same Lamport counter, the origin id decides.
          const lost = message.previous;
          this.add(
            `node ${message.node}: "${message.previous_value}" (by node ${lost.origin}) lost to "${message.value}" (by node ${message.origin}): same version ${message.version}, higher origin wins`,
          );
        }
        const how = {
          client: "a client wrote",
          rumor: "learned from a rumor",
          anti_entropy: "repaired by anti-entropy",
        }[message.cause] ?? "changed";
        this.add(`node ${message.node} ${how}: ${message.key} = "${message.value}"`);
        break;
      }
      case "snapshot":
        this.add(`watching ${message.nodes.length} node${message.nodes.length === 1 ? "" : "s"}`);
        break;
      case "hello":
        this.add(`node ${message.node} connected (${message.state.addr})`);
        break;
      case "rumor_state":
        if (message.state === "removed") this.add(`node ${message.node} stopped spreading ${message.key}`);
        break;
      case "faults_changed": {
        const what = Object.entries(message.faults)
          .filter(([, v]) => v && (!Array.isArray(v) || v.length) && v !== "both")
          .map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(",") : v}`)
          .join(", ");
        this.add(`node ${message.node}: ${what || "healed"}`);
        break;
      }
      case "node_down":
        this.add(`node ${message.node} is gone`);
        break;
      case "member_changed": {
        const m = message.member;
        if (m.id === message.node) {
          if (m.status === "left") this.add(`node ${m.id} says goodbye`);
          else this.add(`node ${m.id} refutes: alive (incarnation ${m.incarnation})`);
        } else if (message.previous === null) {
          this.add(`node ${message.node} now knows node ${m.id}`);
        } else if (m.status !== "alive") {
          this.add(`node ${message.node}: node ${m.id} is ${m.status}`);
        }
        break;
      }
      default:
        break;
    }
  }
}
