// A <select> of the cluster's nodes, kept in step with it: rebuilt only
// when the nodes (or whether they are up) change, keeping the choice.

// `label(node)` names an option; `usable(node)` says whether it may be
// chosen (a down node cannot take faults, but it can be restarted).
export function fillNodeSelect(select, nodes, label, usable = () => true) {
  const signature = nodes.map((n) => `${n.id}:${n.connected}:${label(n)}`).join("|");
  if (signature === select.dataset.signature) return false;
  select.dataset.signature = signature;
  const chosen = select.value;
  select.replaceChildren(
    ...nodes.map((node) => {
      const option = document.createElement("option");
      option.value = String(node.id);
      option.textContent = label(node);
      option.disabled = !usable(node);
      return option;
    }),
  );
  if (chosen) select.value = chosen;
  return true;
}
