// The page's picture of the cluster, kept current by the visualizer's messages.
//
// Each node: id, address, whether it is connected, and its entries
// ({key: {value, version, origin}}). Plus `update`: the most recent update a
// client injected and the visualizer's figures about it.

// Writes are ordered by Lamport counter, then by origin id (as in the core).
export function newer(a, b) {
  if (!b) return true;
  if (a.version !== b.version) return a.version > b.version;
  return a.origin > b.origin;
}

export class Cluster {
  constructor() {
    this.nodes = new Map();
    this.update = null;
    this.spread = null; // the update's curve: measured, theory, messages per round
  }

  // Fold one message from the visualizer in.
  apply(message) {
    switch (message.type) {
      case "snapshot":
        this.nodes.clear();
        for (const node of message.nodes) {
          this.nodes.set(node.id, {
            id: node.id,
            addr: node.addr,
            connected: node.connected,
            entries: node.entries,
            settings: node.settings,
            spreading: node.spreading,
            members: node.members,
            faults: node.faults,
            health: node.health ?? 0,
          });
        }
        this.update = message.update;
        this.spread = message.spread ?? null;
        break;
      case "hello": {
        // A second hello on the same life (new settings) keeps its faults;
        // a restart (after node_down) starts healthy.
        const before = this.nodes.get(message.node);
        const faults = before && before.connected ? before.faults : null;
        this.nodes.set(message.node, {
          id: message.node,
          addr: message.state.addr,
          connected: true,
          entries: message.state.entries,
          settings: message.settings,
          spreading: message.spreading,
          members: message.state.members,
          faults,
          health: message.state.health ?? 0,
        });
        break;
      }
      case "health_changed": {
        const node = this.nodes.get(message.node);
        if (node) node.health = message.score;
        break;
      }
      case "faults_changed": {
        const node = this.nodes.get(message.node);
        if (node) node.faults = message.faults;
        break;
      }
      case "member_changed": {
        const node = this.nodes.get(message.node);
        if (!node) break;
        // In place: 200 nodes joining send tens of thousands of these.
        const at = node.members.findIndex((m) => m.id === message.member.id);
        if (at >= 0) node.members[at] = message.member;
        else {
          node.members.push(message.member);
          node.members.sort((a, b) => a.id - b.id);
        }
        break;
      }
      case "rumor_state": {
        const node = this.nodes.get(message.node);
        if (!node) break;
        node.spreading = node.spreading.filter((c) => c.key !== message.key);
        if (message.state === "infected") {
          node.spreading.push({ key: message.key, version: message.version, origin: message.origin });
        }
        break;
      }
      case "entry_changed": {
        const node = this.nodes.get(message.node);
        if (node && newer(message, node.entries[message.key])) {
          node.entries[message.key] = {
            value: message.value,
            version: message.version,
            origin: message.origin,
          };
        }
        break;
      }
      case "node_down": {
        const node = this.nodes.get(message.node);
        if (node) node.connected = false;
        break;
      }
      case "stats":
        this.update = message.update;
        break;
      case "spread":
        this.spread = message.spread;
        break;
      default:
        break;
    }
  }

  sortedNodes() {
    return [...this.nodes.values()].sort((a, b) => a.id - b.id);
  }

  // The entry a node holds for the most recent update's key, if any.
  heldBy(node) {
    return this.update ? node.entries[this.update.key] : undefined;
  }

  // Whether a node holds the newest version of the most recent update.
  holdsUpdate(node) {
    const held = this.heldBy(node);
    const u = this.update;
    return Boolean(u && held && held.version === u.version && held.origin === u.origin);
  }

  // SIR for the most recent update: "infected" (holds it, still spreading),
  // "removed" (holds it, stopped spreading), "susceptible", or "dead".
  stateOf(node) {
    if (!node.connected) return "dead";
    if (!this.holdsUpdate(node)) return "susceptible";
    const u = this.update;
    const spreading = node.spreading.some((c) => c.key === u.key && c.version === u.version && c.origin === u.origin);
    return spreading ? "infected" : "removed";
  }

  // What the other live nodes believe about `node`: the ids of those that
  // hold it suspect, dead, or left.
  opinionsOf(node) {
    return this.allOpinions().get(node.id) ?? { suspect: [], dead: [], left: [] };
  }

  // Every node's opinions at once, in one pass over every member list
  // (asking node by node would cost N times more: too slow at 200 nodes).
  allOpinions() {
    const all = new Map();
    for (const node of this.nodes.values()) all.set(node.id, { suspect: [], dead: [], left: [] });
    for (const observer of this.nodes.values()) {
      if (!observer.connected) continue;
      for (const seen of observer.members) {
        const opinions = seen.id !== observer.id && all.get(seen.id);
        if (opinions && opinions[seen.status]) opinions[seen.status].push(observer.id);
      }
    }
    return all;
  }

  findByAddr(addr) {
    for (const node of this.nodes.values()) {
      if (node.addr === addr) return node;
    }
    return undefined;
  }

  // The shortest gossip interval among the nodes, to pace the animation.
  intervalMs() {
    let shortest = Infinity;
    for (const node of this.nodes.values()) {
      if (node.settings) shortest = Math.min(shortest, node.settings.interval_ms);
    }
    return Number.isFinite(shortest) ? shortest : 1000;
  }
}
