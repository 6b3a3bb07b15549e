"""The games (one scene each); `game.games.registry` maps game ids to their scenes."""
