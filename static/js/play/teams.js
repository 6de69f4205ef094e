// Team play on every screen (docs/protocol.md, Teams): the team scoreboard, a team's badge
// (its colour, and always its shape, letter and name: never the colour alone), the team talk's
// countdown, the lobby's team picker (phone) and the end's team ranking.
import { el, points, room, t } from "./room.js";

const more = (count) => t("more", { count });

const $ = (id) => document.getElementById(id);

/** ● A Red: a team as every screen names it. */
export function teamBadge(team, cls = "team-badge") {
  return el("span", { class: cls, style: `--team: ${team.color}`, "data-team": team.id },
    el("span", { class: "team-mark", "aria-hidden": "true", text: `${team.shape}${team.letter}` }),
    el("span", { class: "team-name", text: team.name }));
}

export function sortedTeams() {
  return [...room.teams.values()].sort((a, b) => b.score - a.score || b.cards - a.cards);
}

export function ownTeam() {
  const team = room.you.seat?.team;
  return team == null ? null : (room.teams.get(team) ?? null);
}

/** The scoreboard (#teams): every team, highest first, its points and cards. */
export function drawTeams() {
  const box = $("teams");
  if (!box) return;
  box.hidden = room.teams.size === 0;
  if (box.hidden) return;
  const own = ownTeam();
  $("team-scores").replaceChildren(
    ...sortedTeams().map((team) => {
      const item = el("li", { "data-team": team.id, style: `--team: ${team.color}` },
        teamBadge(team),
        el("span", { class: "pts", text: points(team.score) }),
        el("span", { class: "cards", text: t(team.cards === 1 ? "cards_one" : "cards", { count: team.cards }) }));
      if (own && own.id === team.id) {
        item.classList.add("own");
        item.querySelector(".team-name").append(el("span", { class: "you-tag", text: ` ${t("your_team_tag")}` }));
      }
      return item;
    }),
  );
}

/** The team talk after a card: a countdown every screen shows (and the host may read on). */
export function drawTalk() {
  const line = $("talk");
  if (!line) return;
  const left = room.talkAt == null ? 0 : Math.ceil((room.talkAt - Date.now()) / 1000);
  line.hidden = left <= 0 || room.teams.size === 0;
  if (!line.hidden) line.textContent = t("team_talk", { seconds: left });
}
setInterval(drawTalk, 250);

/** The phone's lobby: one button per team (choose mode), the player's own team pressed. */
export function drawTeamPicker(send) {
  const box = $("team-pick");
  if (!box) return;
  const me = room.you.seat;
  const choose = room.settings.team_pick === "choose";
  box.hidden = !me || room.state !== "lobby" || room.teams.size === 0;
  if (box.hidden) return;
  $("team-pick-hint").textContent = choose ? t("pick_team") : t("teams_dealt");
  $("team-pick-list").replaceChildren(
    ...[...room.teams.values()].map((team) => {
      const members = [...room.players.values()].filter((p) => p.team === team.id).length;
      const button = el("button", { type: "button", class: "team-button", style: `--team: ${team.color}`,
        "aria-pressed": String(me.team === team.id) }, teamBadge(team),
        el("span", { class: "members", text: t(members === 1 ? "players_one" : "players", { count: members }) }));
      button.disabled = !choose;
      button.addEventListener("click", () => send({ type: "team", team: team.id }));
      return button;
    }),
  );
}

/** The host's list: in the lobby, a team menu beside each player. */
export function teamSelect(item, player, send) {
  if (room.teams.size === 0) return;
  const team = player.team == null ? null : room.teams.get(player.team);
  if (room.state !== "lobby") {
    if (team) item.querySelector(".nick")?.prepend(teamBadge(team, "team-badge mini"));
    return;
  }
  const select = el("select", { class: "team-select", "aria-label": t("team_of", { name: player.nickname }) });
  select.append(el("option", { value: "", text: t("no_team") }));
  for (const each of room.teams.values()) {
    const option = el("option", { value: String(each.id), text: `${each.shape}${each.letter} ${each.name}` });
    option.selected = each.id === player.team;
    select.append(option);
  }
  select.addEventListener("change", () => {
    if (select.value) send({ type: "team", team: Number(select.value), seat: player.id });
  });
  item.append(select);
}

/** A player's row in a scores list gets its team's mark. */
export function markTeam(item, player) {
  const team = player.team == null ? null : room.teams.get(player.team);
  if (team) item.querySelector(".nick")?.prepend(teamBadge(team, "team-badge mini"));
}

/** The end: teams ranked, each with its members in order (#team-ranking). */
export function drawTeamRanking(listId = "team-ranking", limit = Infinity) {
  const list = $(listId);
  if (!list) return;
  const ranking = room.teamRanking;
  list.hidden = !ranking;
  if (!ranking) return;
  const ownSeat = room.seatId;
  list.replaceChildren(
    ...ranking.slice(0, limit).map((team) => {
      const item = el("li", { class: `rank-${team.rank}`, "data-team": team.id, style: `--team: ${team.color}` },
        el("span", { class: "rank", text: team.rank }),
        teamBadge(team),
        el("span", { class: "pts", text: points(team.score) }),
        el("ol", { class: "members" }, ...team.members.map((m) =>
          el("li", { class: m.id === ownSeat ? "you" : "", "data-seat": m.id },
            el("span", { class: "nick", text: m.nickname ?? "—" }),
            el("span", { class: "pts", text: points(m.score) }))),
          ...(team.members_total > team.members.length
            ? [el("li", { class: "more", text: more(team.members_total - team.members.length) })]
            : [])));
      return item;
    }),
  );
}
