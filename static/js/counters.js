// The live counters about the most recent update: infected x/N, messages,
// redundant messages, and the time since it was injected.

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

export class Counters {
  constructor(root) {
    this.fields = {};
    for (const id of ["update-name", "infected", "elapsed", "sent", "news", "redundant", "converged", "spreading", "residue"]) {
      this.fields[id] = root.querySelector(`#${id}`);
    }
    this.update = null;
    setInterval(() => this.showElapsed(), 100);
  }

  show(update, nodes) {
    this.update = update;
    const f = this.fields;
    if (!update) {
      // The hint names this cluster's first node, whatever its port.
      const first = [...(nodes?.values() ?? [])].sort((a, b) => a.id - b.id)[0];
      const curl = f["update-name"].querySelector("#update-curl");
      if (first?.addr && curl) curl.textContent = `curl -X POST http://${first.addr}/update`;
      return;
    }
    f["update-name"].textContent = `${update.key} = "${update.value}" (version ${update.version}, written on node ${update.origin})`;
    f.infected.textContent = `${update.infected} / ${update.alive}`;
    f.sent.textContent = String(update.messages_sent);
    f.news.textContent = String(update.messages_new);
    f.redundant.textContent = String(update.messages_redundant);
    f.spreading.textContent = String(update.spreading);
    // Residue: live nodes the rumor never reached, once nobody spreads it.
    f.residue.textContent = update.residue === null ? "–" : String(update.residue);
    const done = update.all_infected_at_ms;
    const start = update.injected_at_ms;
    f.converged.textContent = done && start ? seconds(Math.max(0, done - start)) : "–";
    this.showElapsed();
  }

  showElapsed() {
    const at = this.update?.injected_at_ms;
    this.fields.elapsed.textContent = at ? seconds(Math.max(0, Date.now() - at)) : "–";
  }
}
