// The host names the teams (docs/protocol.md, `team_name`): a ✎ button on each team's row of
// the scoreboard opens one form under it. The form lives outside the list that every event
// redraws, so what the host is typing survives players joining meanwhile.
import { el, room, t } from "./room.js";

const $ = (id) => document.getElementById(id);
let editing = null; // the id of the team being renamed
let sent = null; // the name sent for it, until the room says the team has it

export function setupTeamNaming(send) {
  $("team-rename").addEventListener("submit", (event) => {
    event.preventDefault();
    const name = $("team-rename-name").value;
    if (editing == null) return;
    sent = name.trim();
    send({ type: "team_name", team: editing, name });
  });
  $("team-rename-cancel").addEventListener("click", () => close());
}

function close() {
  editing = sent = null;
  $("team-rename").hidden = true;
}

function open(team) {
  editing = team.id;
  sent = null;
  const form = $("team-rename");
  $("team-rename-label").textContent = t("rename_label", { team: `${team.shape}${team.letter} ${team.name}` });
  $("team-rename-name").value = team.name;
  form.hidden = false;
  $("team-rename-name").focus();
  $("team-rename-name").select();
}

/** After each redraw of the scoreboard: a rename button per team while the host may rename. */
export function drawTeamNaming(allowed) {
  const form = $("team-rename");
  if (!form) return;
  if (!allowed || (editing != null && !room.teams.has(editing))) close();
  // The name the host gave has arrived (team_names): the form's work is done.
  if (editing != null && sent != null && room.teams.get(editing)?.name === sent) close();
  if (!allowed) return;
  for (const item of $("team-scores").querySelectorAll("li[data-team]")) {
    const team = room.teams.get(Number(item.dataset.team));
    if (!team) continue;
    const label = t("rename_team", { team: team.name });
    const button = el("button", { type: "button", class: "team-rename-button", "aria-label": label, title: label, text: "✎" });
    button.addEventListener("click", () => open(team));
    item.append(button);
  }
}
