// The A− and A+ buttons: every size on the page is in rem, so changing the
// root font size scales the panels for the back of the room. The choice is
// kept in this browser (localStorage).

const SIZES = [80, 90, 100, 115, 130, 150, 175];
const KEY = "gossip-font-size";

export function startFontSize(root) {
  let at = SIZES.indexOf(Number(localStorage.getItem(KEY)));
  if (at < 0) at = SIZES.indexOf(100);
  const apply = () => {
    root.documentElement.style.fontSize = `${SIZES[at]}%`;
    localStorage.setItem(KEY, String(SIZES[at]));
  };
  root.querySelector("#font-smaller").addEventListener("click", () => {
    at = Math.max(0, at - 1);
    apply();
  });
  root.querySelector("#font-larger").addEventListener("click", () => {
    at = Math.min(SIZES.length - 1, at + 1);
    apply();
  });
  apply();
}
