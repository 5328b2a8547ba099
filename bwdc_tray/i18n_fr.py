"""The French catalog of the engine's messages: English template -> French template.

Loaded by i18n.set_language("fr") only. The placeholders ({name}, {expr!r}, ...) stay as they
are; code, commands and options (`schedule set`, --allow-frequent, HH:MM, every Nm) are not
translated. tests/test_i18n_engine.py checks that every string marked with _() or N_() in the
engine has its entry here, with the same placeholders, and that no entry is left unused.
"""

from __future__ import annotations

FR: dict[str, str] = {
    # bwdc.py
    "bwdc not found at {path}": "bwdc introuvable à l'emplacement {path}",
    "{path} is a folder, not the bwdc program": "{path} est un dossier, pas le programme bwdc",
    "{path} is not executable": "{path} n'est pas exécutable",
    # config.py
    "1 to 64 characters: letters, digits, '.', '_' or '-', starting with a letter or a digit": (
        "de 1 à 64 caractères : lettres, chiffres, '.', '_' ou '-', en commençant par une lettre "
        "ou un chiffre"
    ),
    "the data folder": "le dossier de données",
    "the bwdc program": "le programme bwdc",
    "the log file": "le fichier journal",
    "the timeout": "le délai maximal",
    "none yet": "aucune pour l'instant",
    "no instance named {name!r} (instances: {known})": (
        "aucune instance nommée {name!r} (instances : {known})"
    ),
    "see `bwdc-tray instance list`, or add it with `bwdc-tray instance add`": (
        "consultez `bwdc-tray instance list`, ou ajoutez-la avec `bwdc-tray instance add`"
    ),
    "invalid instance name {name!r}: NAME must be {rule}": (
        "nom d'instance {name!r} non valide : le nom doit comporter {rule}"
    ),
    "{where} must be a number of seconds, got {value!r}": (
        "{where} doit être un nombre de secondes (valeur reçue : {value!r})"
    ),
    "{where} must be a positive number of seconds, got {value!r}": (
        "{where} doit être un nombre positif de secondes (valeur reçue : {value!r})"
    ),
    "--label must be at most 512 characters and hold no NUL character": (
        "--label doit comporter au plus 512 caractères et aucun caractère NUL"
    ),
    "{where} must be a folder or file path, got {text!r}": (
        "{where} doit être le chemin d'un dossier ou d'un fichier (valeur reçue : {text!r})"
    ),
    "instance {name!r}": "instance {name!r}",
    "{where}: expected an object": "{where} : un objet est attendu",
    "{where}: 'appdata' must be an absolute path": "{where} : 'appdata' doit être un chemin absolu",
    "{where}: 'bwdc' must be a path or null": "{where} : 'bwdc' doit être un chemin ou null",
    "{where}: 'log' must be an absolute path or null": (
        "{where} : 'log' doit être un chemin absolu ou null"
    ),
    "{where}: 'label' must be text or null": "{where} : 'label' doit être un texte ou null",
    "{where}: 'login' must be one of {choices}": (
        "{where} : 'login' doit être l'une des valeurs {choices}"
    ),
    "{where}: 'schedule' must be a cron expression or null": (
        "{where} : 'schedule' doit être une expression cron ou null"
    ),
    "{where}: 'backend' must be one of {choices}": (
        "{where} : 'backend' doit être l'une des valeurs {choices}"
    ),
    "{where}: 'run_as' must be a user name": "{where} : 'run_as' doit être un nom d'utilisateur",
    "{where}: 'timeout'": "{where} : 'timeout'",
    "expected a JSON object at the top level": "un objet JSON est attendu au premier niveau",
    "'instances' must be an object": "'instances' doit être un objet",
    "cannot read {path}: {error}": "impossible de lire {path} : {error}",
    "check the file's owner and permissions": (
        "vérifiez le propriétaire et les permissions du fichier"
    ),
    (
        "{path} is not a valid bwdc-tray configuration ({error}); a copy is kept at {kept} and the "
        "file was left as it is"
    ): (
        "{path} n'est pas une configuration bwdc-tray valide ({error}) ; une copie est conservée "
        "dans {kept} et le fichier a été laissé tel quel"
    ),
    "repair {file} by hand, or move it away to start from an empty list": (
        "réparez {file} à la main, ou déplacez-le pour repartir d'une liste vide"
    ),
    (
        "--appdata {appdata} is already used by {other!r}: two instances must not share one "
        "data.json"
    ): (
        "--appdata {appdata} est déjà utilisé par {other!r} : deux instances ne doivent pas "
        "partager le même data.json"
    ),
    "--log {log} is already the log of {other!r}: each instance needs its own log": (
        "--log {log} est déjà le journal de {other!r} : chaque instance a besoin de son propre "
        "journal"
    ),
    # datajson.py
    (
        "no data.json in {folder}: bwdc has not been set up in this folder (run the Directory "
        "Connector once, or `bwdc config` with BITWARDENCLI_CONNECTOR_APPDATA_DIR set to it)"
    ): (
        "aucun data.json dans {folder} : bwdc n'a pas été configuré dans ce dossier (lancez une "
        "fois le Directory Connector, ou `bwdc config` avec BITWARDENCLI_CONNECTOR_APPDATA_DIR "
        "pointant vers ce dossier)"
    ),
    "{path} is larger than 64 MiB": "{path} dépasse 64 Mio",
    (
        "{path} is not valid JSON ({error}); bwdc would reset it to {{}} on its next run: restore "
        "it from a backup first"
    ): (
        "{path} n'est pas un JSON valide ({error}) ; bwdc le remplacerait par {{}} à sa prochaine "
        "exécution : restaurez-le d'abord depuis une sauvegarde"
    ),
    "{path} does not hold a JSON object": "{path} ne contient pas d'objet JSON",
    "{path} is empty: bwdc is not configured yet": (
        "{path} est vide : bwdc n'est pas encore configuré"
    ),
    # secrets.py
    "API client_id (organization.…)": "client_id de l'API (organization.…)",
    "API client_secret": "client_secret de l'API",
    "directory secret (LDAP bind password, Entra key, …)": (
        "secret de l'annuaire (mot de passe de liaison LDAP, clé Entra, …)"
    ),
    "client id": "client_id",
    "client secret": "client_secret",
    "directory secret": "secret de l'annuaire",
    "unlock the login keychain (log in to the desktop session), then retry": (
        "déverrouillez le trousseau de session (ouvrez une session sur le bureau), puis réessayez"
    ),
    "run as the Windows user whose Credential Manager holds the secrets": (
        "exécutez en tant que l'utilisateur Windows dont le Gestionnaire d'identification contient "
        "les secrets"
    ),
    (
        "install and unlock a Secret Service (gnome-keyring or KeePassXC); on a server without a "
        "desktop, run inside `dbus-run-session` after `gnome-keyring-daemon --unlock`, or choose "
        "another keyring backend with PYTHON_KEYRING_BACKEND"
    ): (
        "installez et déverrouillez un Secret Service (gnome-keyring ou KeePassXC) ; sur un "
        "serveur sans bureau, exécutez dans `dbus-run-session` après `gnome-keyring-daemon "
        "--unlock`, ou choisissez un autre backend de trousseau avec PYTHON_KEYRING_BACKEND"
    ),
    "no usable keyring on this machine": "aucun trousseau utilisable sur cette machine",
    "the keyring backend {name} keeps secrets in a plaintext file": (
        "le backend de trousseau {name} conserve les secrets dans un fichier en clair"
    ),
    "uninstall keyrings.alt or choose a real backend with PYTHON_KEYRING_BACKEND": (
        "désinstallez keyrings.alt ou choisissez un vrai backend avec PYTHON_KEYRING_BACKEND"
    ),
    "the keyring refused to answer: {error}": "le trousseau a refusé de répondre : {error}",
    "the keyring refused to store: {error}": "le trousseau a refusé l'enregistrement : {error}",
    "the keyring could not store the {field}: {error}": (
        "le trousseau n'a pas pu enregistrer le {field} : {error}"
    ),
    "a very long secret (a Google service key) may exceed the OS limit": (
        "un secret très long (une clé de service Google) peut dépasser la limite du système"
    ),
    "the keyring refused to delete: {error}": "le trousseau a refusé la suppression : {error}",
    "this is a demo home: its instances use simulated credentials": (
        "ceci est un dossier de démonstration : ses instances utilisent des identifiants simulés"
    ),
    "use your own home (without --home pointing at the demo) for real instances": (
        "utilisez votre propre dossier (sans --home pointant vers la démo) pour de vraies instances"
    ),
    # schedule/cron.py
    "minute": "minute",
    "hour": "heure",
    "day of month": "jour du mois",
    "month": "mois",
    "day of week": "jour de la semaine",
    " (names: {names})": " (noms : {names})",
    "{expr!r}: {token!r} is not a valid {field}{hint}": (
        "{expr!r} : {token!r} n'est pas une valeur valide pour le champ {field}{hint}"
    ),
    "{expr!r}: {value} is out of range for the {field} ({low}-{high})": (
        "{expr!r} : {value} est hors limites pour le champ {field} ({low}-{high})"
    ),
    "{expr!r}: {item!r} is not a valid {field} item (use numbers, *, a-b, a,b or */n)": (
        "{expr!r} : {item!r} n'est pas un élément valide pour le champ {field} (utilisez des "
        "nombres, *, a-b, a,b ou */n)"
    ),
    "{expr!r}: a step of 0 in the {field} never advances": (
        "{expr!r} : un pas de 0 dans le champ {field} n'avance jamais"
    ),
    (
        "{expr!r}: the {field} range {range} goes backwards; write it as two ranges (e.g. "
        "fri-sat,sun)"
    ): (
        "{expr!r} : la plage {range} du champ {field} est inversée ; écrivez-la en deux plages "
        "(ex. fri-sat,sun)"
    ),
    "{expr!r}: {item!r}: a step needs a range or * (e.g. {example})": (
        "{expr!r} : {item!r} : un pas nécessite une plage ou * (ex. {example})"
    ),
    "{expr!r}: # (nth weekday of the month) is not understood by every cron and scheduler": (
        "{expr!r} : # (n-ième jour de la semaine du mois) n'est pas compris par tous les cron et "
        "planificateurs"
    ),
    "{expr!r}: ? is Quartz syntax, not cron: use *": (
        "{expr!r} : ? est une syntaxe Quartz, pas cron : utilisez *"
    ),
    "{expr!r}: L (last day) is not understood by every cron and scheduler": (
        "{expr!r} : L (dernier jour) n'est pas compris par tous les cron et planificateurs"
    ),
    "{expr!r}: W (nearest weekday) is not understood by every cron and scheduler": (
        "{expr!r} : W (jour ouvré le plus proche) n'est pas compris par tous les cron et "
        "planificateurs"
    ),
    "{expr!r}: H (hashed value) is Jenkins syntax, not cron": (
        "{expr!r} : H (valeur hachée) est une syntaxe Jenkins, pas cron"
    ),
    "the schedule is empty: give a cron expression or a preset": (
        "la planification est vide : indiquez une expression cron ou un modèle"
    ),
    (
        "@reboot is refused: bwdc-tray schedules runs at times, not at boot (a preset such as "
        "`hourly` catches up after a restart)"
    ): (
        "@reboot est refusé : bwdc-tray planifie les exécutions à heures fixes, pas au démarrage "
        "(un modèle tel que `hourly` rattrape le retard après un redémarrage)"
    ),
    "{expr!r} is not a schedule nickname bwdc-tray knows": (
        "{expr!r} n'est pas un raccourci de planification connu de bwdc-tray"
    ),
    " (a seconds or year field is not cron: use 5 fields)": (
        " (un champ des secondes ou de l'année n'existe pas dans cron : utilisez 5 champs)"
    ),
    "{expr!r} has {count} fields; cron needs 5: minute hour day-of-month month day-of-week{more}": (
        "{expr!r} compte {count} champ(s) ; cron en attend 5 : minute heure jour-du-mois mois "
        "jour-de-la-semaine{more}"
    ),
    "{expr!r} can never run: no chosen month has day {day}": (
        "{expr!r} ne peut jamais s'exécuter : aucun des mois choisis n'a de jour {day}"
    ),
    "{preset!r}: {text!r} is not a time; use HH:MM, 24-hour (e.g. 02:30)": (
        "{preset!r} : {text!r} n'est pas une heure ; utilisez HH:MM, sur 24 heures (ex. 02:30)"
    ),
    "{text!r}: {day!r} is not a day (mon, tue, … sun)": (
        "{text!r} : {day!r} n'est pas un jour (mon, tue, … sun)"
    ),
    "{text!r}: the day of the month must be 1 to 31": (
        "{text!r} : le jour du mois doit être compris entre 1 et 31"
    ),
    "{text!r}: write `every Nm` (minutes) or `every Nh` (hours)": (
        "{text!r} : écrivez `every Nm` (minutes) ou `every Nh` (heures)"
    ),
    (
        "{text!r}: cron can only repeat evenly every {steps} minutes (other steps leave a short "
        "gap at the top of the hour)"
    ): (
        "{text!r} : cron ne peut répéter à intervalles réguliers que toutes les {steps} minutes "
        "(un autre pas laisse un intervalle plus court au début de chaque heure)"
    ),
    (
        "{text!r}: cron can only repeat evenly every {steps} hours (other steps leave a short gap "
        "at the top of the day)"
    ): (
        "{text!r} : cron ne peut répéter à intervalles réguliers que toutes les {steps} heures (un "
        "autre pas laisse un intervalle plus court au début de chaque jour)"
    ),
    "{text!r}: the preset is written `{usage}`": "{text!r} : ce modèle s'écrit `{usage}`",
    (
        "{text!r} runs {gap} minute(s) apart; every bwdc sync takes seconds and the desktop app's "
        "floor is {floor} minutes"
    ): (
        "{text!r} lance des exécutions à {gap} minute(s) d'intervalle ; chaque synchronisation "
        "bwdc prend quelques secondes et l'application de bureau impose au moins {floor} minutes"
    ),
    "choose a slower schedule, or pass --allow-frequent if you mean it": (
        "choisissez une planification moins fréquente, ou passez --allow-frequent si c'est voulu"
    ),
    # schedule/jobs.py
    "{name}: paused": "{name} : suspendue",
    "{name}: paused (it had no job)": "{name} : suspendue (elle n'avait pas de tâche)",
    "{name}: resumed": "{name} : reprise",
    # schedule/manage.py
    "{user!r} is not a user name": "{user!r} n'est pas un nom d'utilisateur",
    "a dedicated user needs a machine-wide home that the dedicated user can read and write": (
        "un utilisateur dédié nécessite un dossier de base commun à la machine, accessible en "
        "lecture et en écriture par cet utilisateur"
    ),
    (
        "start bwdc-tray with --home (e.g. /var/lib/bwdc-tray, or %ProgramData%\\bwdc-tray on "
        "Windows)"
    ): (
        "lancez bwdc-tray avec --home (ex. /var/lib/bwdc-tray, ou %ProgramData%\\bwdc-tray sous "
        "Windows)"
    ),
    "the old {backend} job of {name} could not be removed: {error}": (
        "l'ancienne tâche {backend} de {name} n'a pas pu être supprimée : {error}"
    ),
    "schedules are paused: the job is installed when they resume": (
        "les planifications sont suspendues : la tâche sera installée à leur reprise"
    ),
    (
        "see its artifact with `schedule render {name} --backend {backend}`, or save without "
        "installing (--no-apply)"
    ): (
        "voyez ce qui serait installé avec `schedule render {name} --backend {backend}`, ou "
        "enregistrez sans installer (--no-apply)"
    ),
    "schedules are paused: nothing to install (Resume first)": (
        "les planifications sont suspendues : rien à installer (reprenez-les d'abord)"
    ),
    "removed a job left without a schedule": "tâche restée sans planification supprimée",
    "installed": "installée",
    "repaired": "réparée",
    # schedule/backends/__init__.py
    "the {name} backend installs jobs on {system} only": (
        "le planificateur {name} n'installe de tâches que sous {system}"
    ),
    "systemctl is not installed: systemd timers are not available here": (
        "systemctl n'est pas installé : les minuteurs systemd ne sont pas disponibles ici"
    ),
    "cron does not exist on Windows": "cron n'existe pas sous Windows",
    "Windows password of {user} (for the scheduled task; not shown): ": (
        "Mot de passe Windows de {user} (pour la tâche planifiée ; non affiché) : "
    ),
    "--backend must be one of auto, {names}; got {name!r}": (
        "--backend doit être l'une des valeurs auto, {names} (reçu : {name!r})"
    ),
    # schedule/backends/crontab.py
    "{arg!r} holds a line break, which a crontab line cannot carry": (
        "{arg!r} contient un saut de ligne, qu'une ligne de crontab ne peut pas porter"
    ),
    "{arg!r} holds \\%, which cron cannot carry unambiguously": (
        "{arg!r} contient \\%, que cron ne peut pas transmettre sans ambiguïté"
    ),
    "the crontab holds two bwdc-tray blocks for {name}": (
        "la crontab contient deux blocs bwdc-tray pour {name}"
    ),
    "remove one of them with `crontab -e`": "supprimez l'un des deux avec `crontab -e`",
    "the crontab has an END bwdc-tray {name} line without its BEGIN": (
        "la crontab contient une ligne END bwdc-tray {name} sans sa ligne BEGIN"
    ),
    "fix it with `crontab -e`": "corrigez-la avec `crontab -e`",
    "the crontab has a bwdc-tray block for {name} with no END line": (
        "la crontab contient un bloc bwdc-tray pour {name} sans ligne END"
    ),
    "fix it with `crontab -e`: each BEGIN bwdc-tray line needs its END line": (
        "corrigez-la avec `crontab -e` : chaque ligne BEGIN bwdc-tray doit avoir sa ligne END"
    ),
    "--run-as {user}: only root can write another user's crontab": (
        "--run-as {user} : seul root peut écrire la crontab d'un autre utilisateur"
    ),
    "run this command as root (sudo), or schedule as yourself": (
        "lancez cette commande en tant que root (sudo), ou planifiez en votre nom"
    ),
    "the crontab command is not installed": "la commande crontab n'est pas installée",
    "install cron (Debian: apt install cron)": "installez cron (Debian : apt install cron)",
    "no message": "aucun message",
    "`crontab -l` failed ({code}): {error}; nothing was changed": (
        "`crontab -l` a échoué ({code}) : {error} ; rien n'a été modifié"
    ),
    "check that this user may use cron (/etc/cron.allow, /etc/cron.deny)": (
        "vérifiez que cet utilisateur a le droit d'utiliser cron (/etc/cron.allow, /etc/cron.deny)"
    ),
    (
        "refusing to install a crontab that would lose the lines that are not bwdc-tray's; nothing "
        "was changed"
    ): (
        "refus d'installer une crontab qui perdrait les lignes n'appartenant pas à bwdc-tray ; "
        "rien n'a été modifié"
    ),
    "`crontab -r` failed: {error}": "`crontab -r` a échoué : {error}",
    "crontab refused the new table ({error}); the old one is kept": (
        "crontab a refusé la nouvelle table ({error}) ; l'ancienne est conservée"
    ),
    "the crontab read back differs from what was written": (
        "la crontab relue diffère de celle qui a été écrite"
    ),
    (
        "no cron daemon is running on this machine: the job is installed but will not fire until "
        "cron runs (Debian: apt install cron, then start the cron service)"
    ): (
        "aucun démon cron ne tourne sur cette machine : la tâche est installée mais ne se "
        "déclenchera pas tant que cron ne tourne pas (Debian : apt install cron, puis démarrez le "
        "service cron)"
    ),
    (
        "{allow} exists and does not list {user}: cron will not run this job; as root, add the "
        "line `{user}` to it"
    ): (
        "{allow} existe et ne mentionne pas {user} : cron n'exécutera pas cette tâche ; en tant "
        "que root, ajoutez-y la ligne `{user}`"
    ),
    "{deny} lists {user}: cron will not run this job until that line is removed": (
        "{deny} mentionne {user} : cron n'exécutera pas cette tâche tant que cette ligne n'est pas "
        "supprimée"
    ),
    # instances.py
    (
        "client_id must look like organization.<36-character id>, as shown in the organization's "
        "API key dialog"
    ): (
        "client_id doit être de la forme organization.<identifiant de 36 caractères>, comme dans "
        "la boîte de dialogue de la clé d'API de l'organisation"
    ),
    "{folder} is a file; the data folder must be a bwdc data folder": (
        "{folder} est un fichier ; le dossier de données doit être un dossier de données bwdc"
    ),
    "give the path of the bwdc program": "indiquez le chemin du programme bwdc",
    "the login mode must be one of {choices}": (
        "le mode de connexion doit être l'une des valeurs {choices}"
    ),
    "an instance named {name!r} already exists": "une instance nommée {name!r} existe déjà",
    "{name} is running right now": "{name} est en cours d'exécution",
    "change it when the run ends": "modifiez-la quand l'exécution sera terminée",
    "remove it when the run ends": "supprimez-la quand l'exécution sera terminée",
    "updated the OS job of {name}": "tâche planifiée de {name} mise à jour",
    (
        "its OS job still has the old settings: {error}; repair it from the schedule editor or "
        "with `schedule sync`"
    ): (
        "sa tâche planifiée a encore les anciens réglages : {error} ; réparez-la depuis l'éditeur"
        " de planification ou avec `schedule sync`"
    ),
    "removed the OS job of {name}": "tâche planifiée de {name} supprimée",
    "the OS job of {name} could not be removed, so it stays listed: {error}": (
        "la tâche planifiée de {name} n'a pas pu être supprimée, l'instance reste donc dans la "
        "liste : {error}"
    ),
    "{count} keyring entry deleted": "{count} entrée du trousseau supprimée",
    "{count} keyring entries deleted": "{count} entrées du trousseau supprimées",
    "its keyring entries could not be deleted: {error}": (
        "ses entrées du trousseau n'ont pas pu être supprimées : {error}"
    ),
    "kept: the data folder {folder} and the log {log}": (
        "conservés : le dossier de données {folder} et le journal {log}"
    ),
    "cannot restore {name}: {problem}": "impossible de restaurer {name} : {problem}",
    "its OS job could not be installed again: {error}": (
        "sa tâche planifiée n'a pas pu être réinstallée : {error}"
    ),
    "its secrets could not be stored again: {error}": (
        "ses secrets n'ont pas pu être enregistrés de nouveau : {error}"
    ),
    "client_secret must not be empty": "client_secret ne doit pas être vide",
    "in sync": "à jour",
    "{path} cannot hold {text!r}: it is not valid UTF-8": (
        "{path} ne peut pas contenir {text!r} : ce n'est pas de l'UTF-8 valide"
    ),
    "rename the folder or file to a valid UTF-8 name": (
        "renommez le dossier ou le fichier avec un nom UTF-8 valide"
    ),
}
