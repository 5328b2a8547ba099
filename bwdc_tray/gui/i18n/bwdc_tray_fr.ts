<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>AddInstanceDialog</name>
    <message>
        <location filename="../dialogs.py" line="108"/>
        <source>Add an instance — bwdc-tray</source>
        <translation>Ajouter une instance — bwdc-tray</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="109"/>
        <source>Add an instance</source>
        <translation>Ajouter une instance</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="111"/>
        <source>Edit {name} — bwdc-tray</source>
        <translation>Modifier {name} — bwdc-tray</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="112"/>
        <source>Edit {name}</source>
        <translation>Modifier {name}</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="125"/>
        <source>e.g. corp-ad</source>
        <translation>ex. corp-ad</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="126"/>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="127"/>
        <source>Name error</source>
        <translation>Erreur de nom</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="129"/>
        <source>free text shown beside the name</source>
        <translation>texte libre affiché à côté du nom</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="130"/>
        <source>Label</source>
        <translation>Libellé</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="131"/>
        <source>Label error</source>
        <translation>Erreur de libellé</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="133"/>
        <source>the folder that holds bwdc&apos;s data.json</source>
        <translation>le dossier qui contient le data.json de bwdc</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="134"/>
        <source>Data folder</source>
        <translation>Dossier de données</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="135"/>
        <source>&amp;Browse…</source>
        <translation>&amp;Parcourir…</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="136"/>
        <source>Choose the data folder</source>
        <translation>Choisir le dossier de données</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="137"/>
        <source>Data folder error</source>
        <translation>Erreur de dossier de données</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="140"/>
        <source>What data.json says</source>
        <translation>Ce qu&apos;indique data.json</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="143"/>
        <source>not found on PATH: give its path</source>
        <translation>introuvable dans le PATH : indiquez son chemin</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="145"/>
        <source>bwdc program (optional)</source>
        <translation>Programme bwdc (facultatif)</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="146"/>
        <source>Br&amp;owse…</source>
        <translation>Parc&amp;ourir…</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="147"/>
        <source>Choose the bwdc program</source>
        <translation>Choisir le programme bwdc</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="148"/>
        <source>bwdc program error</source>
        <translation>Erreur de programme bwdc</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="150"/>
        <source>default: &lt;data folder&gt;/bwdc.log</source>
        <translation>par défaut : &lt;dossier de données&gt;/bwdc.log</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="151"/>
        <source>Log file (optional)</source>
        <translation>Fichier journal (facultatif)</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="152"/>
        <source>Log file error</source>
        <translation>Erreur de fichier journal</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="154"/>
        <source>Timeout in seconds</source>
        <translation>Délai maximal en secondes</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="155"/>
        <source>Timeout error</source>
        <translation>Erreur de délai maximal</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="157"/>
        <source>Login mode</source>
        <translation>Mode de connexion</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="159"/>
        <source>isolated: API key on disk only during a run (safe default)</source>
        <translation>isolé : clé d&apos;API sur disque uniquement pendant une exécution (choix sûr par défaut)</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="162"/>
        <source>keychain: bwdc&apos;s OS keychain, one run at a time</source>
        <translation>trousseau : trousseau du système utilisé par bwdc, une exécution à la fois</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="164"/>
        <source>Data folder or log already in use</source>
        <translation>Dossier de données ou journal déjà utilisé</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="165"/>
        <source>Error</source>
        <translation>Erreur</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="170"/>
        <source>&amp;Add</source>
        <translation>&amp;Ajouter</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="171"/>
        <source>Add the instance</source>
        <translation>Ajouter l&apos;instance</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="173"/>
        <source>&amp;Save</source>
        <translation>&amp;Enregistrer</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="174"/>
        <source>Save the changes</source>
        <translation>Enregistrer les modifications</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="178"/>
        <source>&amp;Name:</source>
        <translation>&amp;Nom :</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="180"/>
        <source>&amp;Label:</source>
        <translation>&amp;Libellé :</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="185"/>
        <source>&amp;Data folder:</source>
        <translation>&amp;Dossier de données :</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="193"/>
        <source>b&amp;wdc program:</source>
        <translation>Programme b&amp;wdc :</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="197"/>
        <source>Lo&amp;g file:</source>
        <translation>Fichier &amp;journal :</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="199"/>
        <source>&amp;Timeout (seconds):</source>
        <translation>Délai &amp;maximal (secondes) :</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="201"/>
        <source>Log&amp;in mode:</source>
        <translation>Mode de &amp;connexion :</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="229"/>
        <source>The name identifies the OS job, the keyring entries and the status file.</source>
        <translation>Le nom identifie la tâche planifiée, les entrées du trousseau et le fichier d&apos;état.</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="281"/>
        <source>Directory: {directory}
Organization: {org}
Server: {server}</source>
        <translation>Annuaire : {directory}
Organisation : {org}
Serveur : {server}</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="283"/>
        <source>not configured yet</source>
        <translation>pas encore configuré</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="316"/>
        <source>bwdc was not found on PATH or in the usual places; runs will fail until it is installed or its path is given here</source>
        <translation>bwdc est introuvable dans le PATH et aux emplacements habituels ; les exécutions échoueront tant qu&apos;il n&apos;est pas installé ou que son chemin n&apos;est pas indiqué ici</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="359"/>
        <source>The bwdc data folder (with data.json)</source>
        <translation>Le dossier de données de bwdc (avec data.json)</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="366"/>
        <source>The bwdc program</source>
        <translation>Le programme bwdc</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="394"/>
        <location filename="../dialogs.py" line="415"/>
        <source>cannot save: {error}</source>
        <translation>enregistrement impossible : {error}</translation>
    </message>
</context>
<context>
    <name>Adopt</name>
    <message>
        <location filename="../adopt.py" line="41"/>
        <source>crontab</source>
        <translation>crontab</translation>
    </message>
    <message>
        <location filename="../adopt.py" line="44"/>
        <source>Task Scheduler</source>
        <translation>Planificateur de tâches</translation>
    </message>
    <message>
        <location filename="../adopt.py" line="45"/>
        <source>Desktop app</source>
        <translation>Application de bureau</translation>
    </message>
</context>
<context>
    <name>AdoptDialog</name>
    <message>
        <location filename="../adopt.py" line="80"/>
        <source>Adopt existing setups</source>
        <translation>Reprendre les installations existantes</translation>
    </message>
    <message>
        <location filename="../adopt.py" line="81"/>
        <source>Adopt existing bwdc setups</source>
        <translation>Reprendre les installations bwdc existantes</translation>
    </message>
    <message>
        <location filename="../adopt.py" line="85"/>
        <source>bwdc jobs and data folders already on this computer: a hand-made recipe (cron, launchd, Task Scheduler) or the Directory Connector desktop app. Import one to manage it here; its log stays as its history.</source>
        <translation>Les tâches bwdc et dossiers de données déjà présents sur cet ordinateur : une recette faite à la main (cron, launchd, Planificateur de tâches) ou l&apos;application de bureau Directory Connector. Importez-en une pour la gérer ici ; son journal reste son historique.</translation>
    </message>
    <message>
        <location filename="../adopt.py" line="95"/>
        <source>Found in</source>
        <translation>Trouvé dans</translation>
    </message>
    <message>
        <location filename="../adopt.py" line="96"/>
        <source>Where</source>
        <translation>Où</translation>
    </message>
    <message>
        <location filename="../adopt.py" line="97"/>
        <source>Schedule</source>
        <translation>Planification</translation>
    </message>
    <message>
        <location filename="../adopt.py" line="98"/>
        <source>Data folder</source>
        <translation>Dossier de données</translation>
    </message>
    <message>
        <location filename="../adopt.py" line="99"/>
        <source>Log</source>
        <translation>Journal</translation>
    </message>
    <message>
        <location filename="../adopt.py" line="102"/>
        <source>What was found</source>
        <translation>Ce qui a été trouvé</translation>
    </message>
    <message>
        <location filename="../adopt.py" line="115"/>
        <source>Details of the selected one</source>
        <translation>Détails de l&apos;élément choisi</translation>
    </message>
    <message>
        <location filename="../adopt.py" line="118"/>
        <source>Warnings about the selected one</source>
        <translation>Avertissements sur l&apos;élément choisi</translation>
    </message>
    <message>
        <location filename="../adopt.py" line="122"/>
        <source>Name of the new instance</source>
        <translation>Nom de la nouvelle instance</translation>
    </message>
    <message>
        <location filename="../adopt.py" line="124"/>
        <source>&amp;Replace the old job with bwdc-tray&apos;s (a backup of it is kept)</source>
        <translation>&amp;Remplacer l&apos;ancienne tâche par celle de bwdc-tray (une sauvegarde en est gardée)</translation>
    </message>
    <message>
        <location filename="../adopt.py" line="126"/>
        <source>Replace the old job</source>
        <translation>Remplacer l&apos;ancienne tâche</translation>
    </message>
    <message>
        <location filename="../adopt.py" line="127"/>
        <source>Import error</source>
        <translation>Erreur d&apos;importation</translation>
    </message>
    <message>
        <location filename="../adopt.py" line="129"/>
        <source>&amp;Name:</source>
        <translation>&amp;Nom :</translation>
    </message>
    <message>
        <location filename="../adopt.py" line="135"/>
        <source>Search status</source>
        <translation>État de la recherche</translation>
    </message>
    <message>
        <location filename="../adopt.py" line="137"/>
        <source>&amp;Import</source>
        <translation>&amp;Importer</translation>
    </message>
    <message>
        <location filename="../adopt.py" line="139"/>
        <source>Search &amp;again</source>
        <translation>&amp;Chercher de nouveau</translation>
    </message>
    <message>
        <location filename="../adopt.py" line="167"/>
        <source>Looking for bwdc jobs and data folders…</source>
        <translation>Recherche des tâches bwdc et des dossiers de données…</translation>
    </message>
    <message>
        <location filename="../adopt.py" line="176"/>
        <source>could not look: {error}</source>
        <translation>recherche impossible : {error}</translation>
    </message>
    <message numerus="yes">
        <location filename="../adopt.py" line="199"/>
        <source>Found %n setup(s). Choose one to import.</source>
        <translation>
            <numerusform>%n installation trouvée. Choisissez celle à importer.</numerusform>
            <numerusform>%n installations trouvées. Choisissez celle à importer.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../adopt.py" line="204"/>
        <source>No bwdc job or desktop-app data folder was found on this computer.</source>
        <translation>Aucune tâche bwdc ni dossier de l&apos;application de bureau n&apos;a été trouvé sur cet ordinateur.</translation>
    </message>
    <message>
        <location filename="../adopt.py" line="230"/>
        <source>Runs: {command}</source>
        <translation>Lance : {command}</translation>
    </message>
    <message>
        <location filename="../adopt.py" line="232"/>
        <source>Script: {script}</source>
        <translation>Script : {script}</translation>
    </message>
    <message>
        <location filename="../adopt.py" line="234"/>
        <source>As the user: {user}</source>
        <translation>En tant que : {user}</translation>
    </message>
    <message>
        <location filename="../adopt.py" line="237"/>
        <source>When: {words} ({expr})</source>
        <translation>Quand : {words} ({expr})</translation>
    </message>
    <message>
        <location filename="../adopt.py" line="242"/>
        <source>Schedule as found: {text}</source>
        <translation>Planification d&apos;origine : {text}</translation>
    </message>
    <message>
        <location filename="../adopt.py" line="246"/>
        <source>Already imported as {name}: import again to replace its old job.</source>
        <translation>Déjà importé sous le nom {name} : importez de nouveau pour remplacer son ancienne tâche.</translation>
    </message>
    <message>
        <location filename="../adopt.py" line="288"/>
        <source>Replace the old job?</source>
        <translation>Remplacer l&apos;ancienne tâche ?</translation>
    </message>
    <message>
        <location filename="../adopt.py" line="290"/>
        <source>The job at {location} will be removed and bwdc-tray&apos;s job installed in its place. A backup of the old job is kept; `bwdc-tray adopt --restore` puts it back.</source>
        <translation>La tâche {location} sera supprimée et celle de bwdc-tray installée à sa place. Une sauvegarde de l&apos;ancienne tâche est gardée ; `bwdc-tray adopt --restore` la remet.</translation>
    </message>
</context>
<context>
    <name>AlertsDialog</name>
    <message>
        <location filename="../alerts.py" line="69"/>
        <source>Generic JSON</source>
        <translation>JSON générique</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="70"/>
        <source>Slack</source>
        <translation>Slack</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="71"/>
        <source>Microsoft Teams</source>
        <translation>Microsoft Teams</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="77"/>
        <source>healthchecks.io</source>
        <translation>healthchecks.io</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="78"/>
        <source>Uptime Kuma push</source>
        <translation>Uptime Kuma (push)</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="84"/>
        <source>Webhook</source>
        <translation>Webhook</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="85"/>
        <source>Health check</source>
        <translation>Ping de surveillance</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="86"/>
        <source>System log</source>
        <translation>Journal système</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="87"/>
        <source>Metrics</source>
        <translation>Métriques</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="95"/>
        <source>the unified log</source>
        <translation>le journal unifié</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="97"/>
        <source>the Windows Event Log (Application)</source>
        <translation>le journal des événements Windows (Application)</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="98"/>
        <source>the journal or syslog</source>
        <translation>le journal (journald) ou syslog</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="107"/>
        <location filename="../alerts.py" line="117"/>
        <location filename="../alerts.py" line="123"/>
        <location filename="../alerts.py" line="129"/>
        <source>off</source>
        <translation>désactivé</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="110"/>
        <source>on every run</source>
        <translation>à chaque exécution</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="112"/>
        <source>on failures and recoveries</source>
        <translation>en cas d&apos;échec et de rétablissement</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="121"/>
        <source>on</source>
        <translation>activé</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="132"/>
        <source>(no URL stored: nothing is sent)</source>
        <translation>(aucune URL enregistrée : rien n&apos;est envoyé)</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="140"/>
        <source>skipped</source>
        <translation>ignoré</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="142"/>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="144"/>
        <source>failed</source>
        <translation>échec</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="198"/>
        <source>the test failed: {error}</source>
        <translation>le test a échoué : {error}</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="244"/>
        <source>Use the default</source>
        <translation>Utiliser la valeur par défaut</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="246"/>
        <source>Off for this instance</source>
        <translation>Désactivé pour cette instance</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="278"/>
        <source>The default: {what}</source>
        <translation>Par défaut : {what}</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="308"/>
        <source>Default alerts, for every instance — bwdc-tray</source>
        <translation>Alertes par défaut, pour toutes les instances — bwdc-tray</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="309"/>
        <source>Default alerts, for every instance</source>
        <translation>Alertes par défaut, pour toutes les instances</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="311"/>
        <source>Alerts for {name} — bwdc-tray</source>
        <translation>Alertes de {name} — bwdc-tray</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="312"/>
        <source>Alerts for {name}</source>
        <translation>Alertes de {name}</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="316"/>
        <source>These apply to every instance that does not set its own; each instance can also use the default, set its own, or turn a channel off.</source>
        <translation>Elles s&apos;appliquent à toute instance qui n&apos;a pas les siennes ; chaque instance peut aussi utiliser la valeur par défaut, avoir la sienne ou désactiver un canal.</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="321"/>
        <source>Each channel uses the default alerts, settings of this instance&apos;s own, or is off. Only the result, the message and the counts leave the machine.</source>
        <translation>Chaque canal utilise les alertes par défaut, des réglages propres à cette instance, ou est désactivé. Seuls le résultat, le message et les nombres quittent la machine.</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="329"/>
        <source>&amp;Webhook</source>
        <translation>&amp;Webhook</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="329"/>
        <source>Own webhook</source>
        <translation>Webhook propre</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="331"/>
        <source>Webhook URL</source>
        <translation>URL du webhook</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="332"/>
        <source>Webhook URL error</source>
        <translation>Erreur d&apos;URL du webhook</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="334"/>
        <source>Webhook format</source>
        <translation>Format du webhook</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="338"/>
        <source>On every run, not only on failures and recoveries</source>
        <translation>À chaque exécution, pas seulement en cas d&apos;échec et de rétablissement</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="341"/>
        <location filename="../alerts.py" line="368"/>
        <source>URL:</source>
        <translation>URL :</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="343"/>
        <source>Format:</source>
        <translation>Format :</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="348"/>
        <source>&amp;Health checks</source>
        <translation>&amp;Pings de surveillance</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="351"/>
        <source>Own pings</source>
        <translation>Pings propres</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="354"/>
        <source>Health-check URL</source>
        <translation>URL des pings de surveillance</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="355"/>
        <source>Health-check URL error</source>
        <translation>Erreur d&apos;URL des pings de surveillance</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="357"/>
        <source>Health-check style</source>
        <translation>Type de service de surveillance</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="362"/>
        <source>A ping when a run starts, then one for its success or its failure: the service alerts you when no sync happened at all.</source>
        <translation>Un ping au début d&apos;une exécution, puis un pour sa réussite ou son échec : le service vous alerte quand aucune synchronisation n&apos;a eu lieu.</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="370"/>
        <source>Style:</source>
        <translation>Type :</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="376"/>
        <source>S&amp;ystem log</source>
        <translation>&amp;Journal système</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="379"/>
        <source>On</source>
        <translation>Activé</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="383"/>
        <source>Each run&apos;s result and message are written to {where}.</source>
        <translation>Le résultat et le message de chaque exécution sont écrits dans {where}.</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="391"/>
        <source>&amp;Metrics</source>
        <translation>&amp;Métriques</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="391"/>
        <source>Own folder</source>
        <translation>Dossier propre</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="394"/>
        <source>Metrics folder</source>
        <translation>Dossier des métriques</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="395"/>
        <source>e.g. /var/lib/node_exporter/textfile</source>
        <translation>p. ex. /var/lib/node_exporter/textfile</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="396"/>
        <source>&amp;Browse…</source>
        <translation>Parc&amp;ourir…</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="397"/>
        <source>Choose the metrics folder</source>
        <translation>Choisir le dossier des métriques</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="398"/>
        <source>Metrics folder error</source>
        <translation>Erreur de dossier des métriques</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="401"/>
        <source>The folder of node_exporter&apos;s textfile collector (--collector.textfile.directory): last run, last success, result, duration and counts, per instance.</source>
        <translation>Le dossier du collecteur textfile de node_exporter (--collector.textfile.directory) : dernière exécution, dernière réussite, résultat, durée et nombres, par instance.</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="411"/>
        <source>Folder:</source>
        <translation>Dossier :</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="416"/>
        <source>Send a &amp;test</source>
        <translation>Envoyer un &amp;test</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="417"/>
        <source>Send a test through every channel</source>
        <translation>Envoyer un test par chaque canal</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="422"/>
        <source>What each channel answered</source>
        <translation>La réponse de chaque canal</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="424"/>
        <source>Send a test to see what each channel answers.</source>
        <translation>Envoyez un test pour voir ce que répond chaque canal.</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="429"/>
        <source>A test is sent for one instance: open the alerts of an instance.</source>
        <translation>Un test s&apos;envoie pour une instance : ouvrez les alertes d&apos;une instance.</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="432"/>
        <source>Error</source>
        <translation>Erreur</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="437"/>
        <source>Save the alerts</source>
        <translation>Enregistrer les alertes</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="551"/>
        <source>stored; type to replace</source>
        <translation>enregistrée ; saisissez-en une autre pour la remplacer</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="553"/>
        <source>empty: the default&apos;s URL; type to replace</source>
        <translation>vide : l&apos;URL par défaut ; saisissez-en une pour la remplacer</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="555"/>
        <source>https://… (the keyring could not be read)</source>
        <translation>https://… (le trousseau n&apos;a pas pu être lu)</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="557"/>
        <source>https://… (required)</source>
        <translation>https://… (obligatoire)</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="674"/>
        <source>cannot save: {error}</source>
        <translation>impossible d&apos;enregistrer : {error}</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="691"/>
        <source>The folder of node_exporter&apos;s textfile collector</source>
        <translation>Le dossier du collecteur textfile de node_exporter</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="705"/>
        <source>Sending a test through every channel of {name}…</source>
        <translation>Envoi d&apos;un test par chaque canal de {name}…</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="707"/>
        <source>The saved settings are tested: save your changes first.</source>
        <translation>Ce sont les réglages enregistrés qui sont testés : enregistrez d&apos;abord vos modifications.</translation>
    </message>
    <message>
        <location filename="../alerts.py" line="727"/>
        <source>No channel is configured for {name}: nothing was sent.</source>
        <translation>Aucun canal n&apos;est configuré pour {name} : rien n&apos;a été envoyé.</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <location filename="../app.py" line="313"/>
        <source>Start at login</source>
        <translation>Démarrer à l&apos;ouverture de session</translation>
    </message>
    <message>
        <location filename="../app.py" line="314"/>
        <source>Start the tray when you log in</source>
        <translation>Lancer l&apos;icône de notification à l&apos;ouverture de session</translation>
    </message>
    <message>
        <location filename="../app.py" line="319"/>
        <source>Mute notifications</source>
        <translation>Couper les notifications</translation>
    </message>
    <message>
        <location filename="../app.py" line="320"/>
        <source>No balloon when a sync fails or recovers</source>
        <translation>Aucune bulle quand une synchronisation échoue ou reprend</translation>
    </message>
    <message>
        <location filename="../app.py" line="347"/>
        <source>No system tray is available on this desktop: bwdc-tray runs as a window. Scheduled syncs do not need it; they run as OS jobs.</source>
        <translation>Aucune zone de notification n&apos;est disponible sur ce bureau : bwdc-tray s&apos;exécute dans une fenêtre. Les synchronisations planifiées n&apos;en ont pas besoin ; elles s&apos;exécutent comme tâches du système.</translation>
    </message>
</context>
<context>
    <name>Controller</name>
    <message>
        <location filename="../controller.py" line="55"/>
        <source>cannot read the instances: {error}</source>
        <translation>impossible de lire les instances : {error}</translation>
    </message>
    <message>
        <location filename="../controller.py" line="221"/>
        <source>{name}: could not start the run: {error}</source>
        <translation>{name} : impossible de lancer l&apos;exécution : {error}</translation>
    </message>
    <message>
        <location filename="../controller.py" line="243"/>
        <source>{name} has no log yet ({log})</source>
        <translation>{name} n&apos;a pas encore de journal ({log})</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../window.py" line="77"/>
        <location filename="../window.py" line="85"/>
        <source>just now</source>
        <translation>à l&apos;instant</translation>
    </message>
    <message>
        <location filename="../window.py" line="79"/>
        <source>{n} d ago</source>
        <translation>il y a {n} j</translation>
    </message>
    <message>
        <location filename="../window.py" line="80"/>
        <source>{n} h ago</source>
        <translation>il y a {n} h</translation>
    </message>
    <message>
        <location filename="../window.py" line="81"/>
        <source>{n} min ago</source>
        <translation>il y a {n} min</translation>
    </message>
    <message>
        <location filename="../window.py" line="94"/>
        <source>today {time}</source>
        <translation>aujourd&apos;hui {time}</translation>
    </message>
    <message>
        <location filename="../window.py" line="102"/>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../window.py" line="103"/>
        <source>failed</source>
        <translation>échec</translation>
    </message>
    <message>
        <location filename="../window.py" line="104"/>
        <location filename="../window.py" line="811"/>
        <source>running…</source>
        <translation>en cours…</translation>
    </message>
    <message>
        <location filename="../window.py" line="105"/>
        <source>timed out</source>
        <translation>délai dépassé</translation>
    </message>
    <message>
        <location filename="../window.py" line="106"/>
        <source>never synced</source>
        <translation>jamais synchronisé</translation>
    </message>
    <message>
        <location filename="../window.py" line="107"/>
        <location filename="../window.py" line="806"/>
        <source>unknown</source>
        <translation>inconnu</translation>
    </message>
    <message>
        <location filename="../window.py" line="108"/>
        <location filename="../window.py" line="237"/>
        <source>paused</source>
        <translation>suspendu</translation>
    </message>
    <message>
        <location filename="../window.py" line="114"/>
        <source>in sync</source>
        <translation>à jour</translation>
    </message>
    <message>
        <location filename="../window.py" line="115"/>
        <source>drifted</source>
        <translation>divergente</translation>
    </message>
    <message>
        <location filename="../window.py" line="116"/>
        <source>missing</source>
        <translation>absente</translation>
    </message>
    <message>
        <location filename="../window.py" line="124"/>
        <source>{g} groups, {u} users</source>
        <translation>{g} groupes, {u} utilisateurs</translation>
    </message>
    <message>
        <location filename="../window.py" line="136"/>
        <source>last: {result}</source>
        <translation>dernière : {result}</translation>
    </message>
    <message>
        <location filename="../window.py" line="179"/>
        <location filename="../window.py" line="323"/>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location filename="../window.py" line="180"/>
        <source>Label</source>
        <translation>Libellé</translation>
    </message>
    <message>
        <location filename="../window.py" line="181"/>
        <source>Directory</source>
        <translation>Annuaire</translation>
    </message>
    <message>
        <location filename="../window.py" line="182"/>
        <source>Schedule</source>
        <translation>Planification</translation>
    </message>
    <message>
        <location filename="../window.py" line="183"/>
        <source>Next run</source>
        <translation>Prochaine exécution</translation>
    </message>
    <message>
        <location filename="../window.py" line="184"/>
        <source>Last result</source>
        <translation>Dernier résultat</translation>
    </message>
    <message>
        <location filename="../window.py" line="185"/>
        <source>Job</source>
        <translation>Tâche</translation>
    </message>
    <message>
        <location filename="../window.py" line="229"/>
        <source>? (see tooltip)</source>
        <translation>? (voir l&apos;infobulle)</translation>
    </message>
    <message>
        <location filename="../window.py" line="233"/>
        <source>no schedule</source>
        <translation>aucune planification</translation>
    </message>
    <message>
        <location filename="../window.py" line="245"/>
        <source>{name}: {state}</source>
        <translation>{name} : {state}</translation>
    </message>
    <message>
        <location filename="../window.py" line="249"/>
        <source>Data folder</source>
        <translation>Dossier de données</translation>
    </message>
    <message>
        <location filename="../window.py" line="252"/>
        <source>Organization</source>
        <translation>Organisation</translation>
    </message>
    <message>
        <location filename="../window.py" line="262"/>
        <source>as a dedicated user</source>
        <translation>en tant qu&apos;utilisateur dédié</translation>
    </message>
    <message>
        <location filename="../window.py" line="264"/>
        <source>as you</source>
        <translation>en votre nom</translation>
    </message>
    <message>
        <location filename="../window.py" line="310"/>
        <source>Test of {name} (dry run) — bwdc-tray</source>
        <translation>Test de {name} (simulation) — bwdc-tray</translation>
    </message>
    <message>
        <location filename="../window.py" line="314"/>
        <source>Dry run result</source>
        <translation>Résultat de la simulation</translation>
    </message>
    <message>
        <location filename="../window.py" line="318"/>
        <source>Summary</source>
        <translation>Résumé</translation>
    </message>
    <message>
        <location filename="../window.py" line="324"/>
        <source>Details</source>
        <translation>Détails</translation>
    </message>
    <message>
        <location filename="../window.py" line="328"/>
        <source>What would be synced</source>
        <translation>Ce qui serait synchronisé</translation>
    </message>
    <message>
        <location filename="../window.py" line="339"/>
        <source>the dry run gave no answer</source>
        <translation>la simulation n&apos;a donné aucune réponse</translation>
    </message>
    <message>
        <location filename="../window.py" line="345"/>
        <source>Fix:</source>
        <translation>Solution :</translation>
    </message>
    <message>
        <location filename="../window.py" line="352"/>
        <source>Groups</source>
        <translation>Groupes</translation>
    </message>
    <message>
        <location filename="../window.py" line="353"/>
        <source>Users</source>
        <translation>Utilisateurs</translation>
    </message>
    <message>
        <location filename="../window.py" line="354"/>
        <source>Disabled users</source>
        <translation>Utilisateurs désactivés</translation>
    </message>
    <message>
        <location filename="../window.py" line="355"/>
        <source>Deleted users</source>
        <translation>Utilisateurs supprimés</translation>
    </message>
    <message>
        <location filename="../window.py" line="365"/>
        <source>… and {n} more</source>
        <translation>… et {n} de plus</translation>
    </message>
    <message>
        <location filename="../window.py" line="379"/>
        <source>{n} members</source>
        <translation>{n} membres</translation>
    </message>
    <message>
        <location filename="../window.py" line="444"/>
        <source>Instances</source>
        <translation>Instances</translation>
    </message>
    <message>
        <location filename="../window.py" line="463"/>
        <location filename="../window.py" line="588"/>
        <source>&amp;Add…</source>
        <translation>&amp;Ajouter…</translation>
    </message>
    <message>
        <location filename="../window.py" line="464"/>
        <location filename="../window.py" line="598"/>
        <source>&amp;Properties…</source>
        <translation>&amp;Propriétés…</translation>
    </message>
    <message>
        <location filename="../window.py" line="465"/>
        <location filename="../window.py" line="605"/>
        <source>&amp;Edit schedule…</source>
        <translation>&amp;Modifier la planification…</translation>
    </message>
    <message>
        <location filename="../window.py" line="466"/>
        <location filename="../window.py" line="611"/>
        <source>&amp;Remove…</source>
        <translation>&amp;Supprimer…</translation>
    </message>
    <message>
        <location filename="../window.py" line="467"/>
        <location filename="../window.py" line="617"/>
        <source>Se&amp;crets…</source>
        <translation>Se&amp;crets…</translation>
    </message>
    <message>
        <location filename="../window.py" line="468"/>
        <location filename="../window.py" line="623"/>
        <source>A&amp;lerts…</source>
        <translation>A&amp;lertes…</translation>
    </message>
    <message>
        <location filename="../window.py" line="469"/>
        <source>&amp;Test</source>
        <translation>&amp;Tester</translation>
    </message>
    <message>
        <location filename="../window.py" line="470"/>
        <location filename="../window.py" line="638"/>
        <source>&amp;Sync now</source>
        <translation>Synchroniser mai&amp;ntenant</translation>
    </message>
    <message>
        <location filename="../window.py" line="483"/>
        <location filename="../window.py" line="785"/>
        <source>History</source>
        <translation>Historique</translation>
    </message>
    <message>
        <location filename="../window.py" line="487"/>
        <source>Time</source>
        <translation>Heure</translation>
    </message>
    <message>
        <location filename="../window.py" line="488"/>
        <source>Trigger</source>
        <translation>Déclencheur</translation>
    </message>
    <message>
        <location filename="../window.py" line="489"/>
        <source>Result</source>
        <translation>Résultat</translation>
    </message>
    <message>
        <location filename="../window.py" line="490"/>
        <source>Counts</source>
        <translation>Nombres</translation>
    </message>
    <message>
        <location filename="../window.py" line="491"/>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <location filename="../window.py" line="495"/>
        <source>Run history of the selected instance</source>
        <translation>Historique des exécutions de l&apos;instance sélectionnée</translation>
    </message>
    <message>
        <location filename="../window.py" line="514"/>
        <source>Log of the selected run</source>
        <translation>Journal de l&apos;exécution sélectionnée</translation>
    </message>
    <message>
        <location filename="../window.py" line="517"/>
        <source>Select a run to see its log</source>
        <translation>Sélectionnez une exécution pour voir son journal</translation>
    </message>
    <message>
        <location filename="../window.py" line="544"/>
        <source>Run in progress</source>
        <translation>Exécution en cours</translation>
    </message>
    <message>
        <location filename="../window.py" line="548"/>
        <source>Runs in progress</source>
        <translation>Exécutions en cours</translation>
    </message>
    <message>
        <location filename="../window.py" line="551"/>
        <source>&amp;Undo</source>
        <translation>&amp;Annuler</translation>
    </message>
    <message>
        <location filename="../window.py" line="553"/>
        <source>Undo the removal</source>
        <translation>Annuler la suppression</translation>
    </message>
    <message>
        <location filename="../window.py" line="594"/>
        <source>A&amp;dopt existing setups…</source>
        <translation>Re&amp;prendre les installations existantes…</translation>
    </message>
    <message>
        <location filename="../window.py" line="628"/>
        <source>De&amp;fault alerts…</source>
        <translation>Alertes par &amp;défaut…</translation>
    </message>
    <message>
        <location filename="../window.py" line="632"/>
        <source>&amp;Test (dry run)</source>
        <translation>&amp;Tester (simulation)</translation>
    </message>
    <message>
        <location filename="../window.py" line="644"/>
        <source>Sync &amp;all</source>
        <translation>Synchroniser t&amp;out</translation>
    </message>
    <message>
        <location filename="../window.py" line="647"/>
        <source>Open &amp;log file</source>
        <translation>Ouvrir le fichier &amp;journal</translation>
    </message>
    <message>
        <location filename="../window.py" line="650"/>
        <source>&amp;Undo removal</source>
        <translation>&amp;Annuler la suppression</translation>
    </message>
    <message>
        <location filename="../window.py" line="655"/>
        <source>&amp;Refresh</source>
        <translation>Ac&amp;tualiser</translation>
    </message>
    <message>
        <location filename="../window.py" line="658"/>
        <source>&amp;Close window</source>
        <translation>&amp;Fermer la fenêtre</translation>
    </message>
    <message>
        <location filename="../window.py" line="663"/>
        <source>&amp;Instance</source>
        <translation>&amp;Instance</translation>
    </message>
    <message>
        <location filename="../window.py" line="680"/>
        <source>&amp;Edit</source>
        <translation>É&amp;dition</translation>
    </message>
    <message>
        <location filename="../window.py" line="682"/>
        <source>&amp;View</source>
        <translation>Afficha&amp;ge</translation>
    </message>
    <message>
        <location filename="../window.py" line="763"/>
        <source>{name} (dry run)</source>
        <translation>{name} (simulation)</translation>
    </message>
    <message>
        <location filename="../window.py" line="770"/>
        <source>Running: {names}</source>
        <translation>En cours : {names}</translation>
    </message>
    <message>
        <location filename="../window.py" line="789"/>
        <source>History of {name}</source>
        <translation>Historique de {name}</translation>
    </message>
    <message>
        <location filename="../window.py" line="795"/>
        <source>cannot read {path}: {error}</source>
        <translation>impossible de lire {path} : {error}</translation>
    </message>
    <message>
        <location filename="../window.py" line="804"/>
        <source>schedule</source>
        <translation>planification</translation>
    </message>
    <message>
        <location filename="../window.py" line="805"/>
        <source>manual</source>
        <translation>manuel</translation>
    </message>
    <message>
        <location filename="../window.py" line="808"/>
        <source>(dry run)</source>
        <translation>(simulation)</translation>
    </message>
    <message>
        <location filename="../window.py" line="813"/>
        <source>no outcome</source>
        <translation>aucun résultat</translation>
    </message>
    <message>
        <location filename="../window.py" line="832"/>
        <source>No runs in {path} yet.</source>
        <translation>Aucune exécution dans {path} pour l&apos;instant.</translation>
    </message>
    <message>
        <location filename="../window.py" line="887"/>
        <source>Added {name}. Next: store its API key with Secrets… (Ctrl+K).</source>
        <translation>{name} ajoutée. Ensuite : enregistrez sa clé d&apos;API avec Secrets… (Ctrl+K).</translation>
    </message>
    <message>
        <location filename="../window.py" line="905"/>
        <source>Adopted {name}.</source>
        <translation>{name} a été repris.</translation>
    </message>
    <message>
        <location filename="../window.py" line="922"/>
        <source>Saved the changes to {name}.</source>
        <translation>Modifications de {name} enregistrées.</translation>
    </message>
    <message>
        <location filename="../window.py" line="948"/>
        <source>Stored the secrets of {name} in the keyring.</source>
        <translation>Secrets de {name} enregistrés dans le trousseau.</translation>
    </message>
    <message>
        <location filename="../window.py" line="976"/>
        <source>Saved the default alerts.</source>
        <translation>Alertes par défaut enregistrées.</translation>
    </message>
    <message>
        <location filename="../window.py" line="978"/>
        <source>Saved the alerts of {name}.</source>
        <translation>Alertes de {name} enregistrées.</translation>
    </message>
    <message>
        <location filename="../window.py" line="991"/>
        <source>Remove {name}?

Its OS job and its keyring entries are removed; its data folder and its log are kept.</source>
        <translation>Supprimer {name} ?

Sa tâche système et ses entrées du trousseau sont supprimées ; son dossier de données et son journal sont conservés.</translation>
    </message>
    <message>
        <location filename="../window.py" line="997"/>
        <source>Its schedule: {words}.</source>
        <translation>Sa planification : {words}.</translation>
    </message>
    <message>
        <location filename="../window.py" line="1001"/>
        <source>Remove an instance</source>
        <translation>Supprimer une instance</translation>
    </message>
    <message>
        <location filename="../window.py" line="1011"/>
        <source>could not remove {name}: {error}</source>
        <translation>impossible de supprimer {name} : {error}</translation>
    </message>
    <message>
        <location filename="../window.py" line="1019"/>
        <source>Removed {name}.</source>
        <translation>{name} supprimée.</translation>
    </message>
    <message>
        <location filename="../window.py" line="1041"/>
        <source>Restored {name}.</source>
        <translation>{name} restaurée.</translation>
    </message>
    <message>
        <location filename="../window.py" line="1063"/>
        <source>Started a sync of {name}.</source>
        <translation>Synchronisation de {name} lancée.</translation>
    </message>
    <message>
        <location filename="../window.py" line="1072"/>
        <source>Started a sync of every instance.</source>
        <translation>Synchronisation de toutes les instances lancée.</translation>
    </message>
    <message>
        <location filename="../window.py" line="1098"/>
        <source>Testing {name} (dry run)…</source>
        <translation>Test de {name} (simulation)…</translation>
    </message>
    <message>
        <location filename="../window.py" line="1111"/>
        <source>could not start the dry run: {error}</source>
        <translation>impossible de lancer la simulation : {error}</translation>
    </message>
    <message>
        <location filename="../window.py" line="1131"/>
        <source>exit code {code}</source>
        <translation>code de sortie {code}</translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message>
        <location filename="../notify.py" line="37"/>
        <source>{name}: sync failed</source>
        <translation>{name} : échec de la synchronisation</translation>
    </message>
    <message>
        <location filename="../notify.py" line="39"/>
        <source>{name}: sync timed out</source>
        <translation>{name} : délai de synchronisation dépassé</translation>
    </message>
    <message>
        <location filename="../notify.py" line="45"/>
        <source>{name}: syncing again</source>
        <translation>{name} : la synchronisation fonctionne de nouveau</translation>
    </message>
</context>
<context>
    <name>ScheduleEditor</name>
    <message>
        <location filename="../editor.py" line="154"/>
        <source>Schedule of {name} — bwdc-tray</source>
        <translation>Planification de {name} — bwdc-tray</translation>
    </message>
    <message>
        <location filename="../editor.py" line="155"/>
        <source>Schedule of {name}</source>
        <translation>Planification de {name}</translation>
    </message>
    <message>
        <location filename="../editor.py" line="163"/>
        <source>Preset</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <location filename="../editor.py" line="165"/>
        <source>Custom cron expression</source>
        <translation>Expression cron personnalisée</translation>
    </message>
    <message>
        <location filename="../editor.py" line="166"/>
        <source>Every N minutes</source>
        <translation>Toutes les N minutes</translation>
    </message>
    <message>
        <location filename="../editor.py" line="167"/>
        <source>Every N hours</source>
        <translation>Toutes les N heures</translation>
    </message>
    <message>
        <location filename="../editor.py" line="168"/>
        <source>Hourly</source>
        <translation>Toutes les heures</translation>
    </message>
    <message>
        <location filename="../editor.py" line="169"/>
        <source>Daily at</source>
        <translation>Chaque jour à</translation>
    </message>
    <message>
        <location filename="../editor.py" line="170"/>
        <source>Weekly on days at</source>
        <translation>Chaque semaine, certains jours à</translation>
    </message>
    <message>
        <location filename="../editor.py" line="171"/>
        <source>Monthly on day at</source>
        <translation>Chaque mois, le jour à</translation>
    </message>
    <message>
        <location filename="../editor.py" line="176"/>
        <source>Every how many minutes or hours</source>
        <translation>Toutes les combien de minutes ou d&apos;heures</translation>
    </message>
    <message>
        <location filename="../editor.py" line="179"/>
        <source>Time of day</source>
        <translation>Heure de la journée</translation>
    </message>
    <message>
        <location filename="../editor.py" line="182"/>
        <source>Day of the month</source>
        <translation>Jour du mois</translation>
    </message>
    <message>
        <location filename="../editor.py" line="186"/>
        <source>Mon</source>
        <translation>Lun</translation>
    </message>
    <message>
        <location filename="../editor.py" line="187"/>
        <source>Tue</source>
        <translation>Mar</translation>
    </message>
    <message>
        <location filename="../editor.py" line="188"/>
        <source>Wed</source>
        <translation>Mer</translation>
    </message>
    <message>
        <location filename="../editor.py" line="189"/>
        <source>Thu</source>
        <translation>Jeu</translation>
    </message>
    <message>
        <location filename="../editor.py" line="190"/>
        <source>Fri</source>
        <translation>Ven</translation>
    </message>
    <message>
        <location filename="../editor.py" line="191"/>
        <source>Sat</source>
        <translation>Sam</translation>
    </message>
    <message>
        <location filename="../editor.py" line="192"/>
        <source>Sun</source>
        <translation>Dim</translation>
    </message>
    <message>
        <location filename="../editor.py" line="202"/>
        <source>&amp;Every:</source>
        <translation>&amp;Toutes les :</translation>
    </message>
    <message>
        <location filename="../editor.py" line="204"/>
        <source>&amp;At:</source>
        <translation>À &amp;l&apos;heure :</translation>
    </message>
    <message>
        <location filename="../editor.py" line="206"/>
        <source>On &amp;day:</source>
        <translation>Le &amp;jour :</translation>
    </message>
    <message>
        <location filename="../editor.py" line="208"/>
        <source>On:</source>
        <translation>Les :</translation>
    </message>
    <message>
        <location filename="../editor.py" line="211"/>
        <source>Cron expression</source>
        <translation>Expression cron</translation>
    </message>
    <message>
        <location filename="../editor.py" line="212"/>
        <source>minute hour day-of-month month day-of-week</source>
        <translation>minute heure jour-du-mois mois jour-de-la-semaine</translation>
    </message>
    <message>
        <location filename="../editor.py" line="214"/>
        <source>Schedule error</source>
        <translation>Erreur de planification</translation>
    </message>
    <message>
        <location filename="../editor.py" line="215"/>
        <location filename="../editor.py" line="217"/>
        <source>Allow runs closer than 5 minutes apart</source>
        <translation>Autoriser des exécutions à moins de 5 minutes d&apos;intervalle</translation>
    </message>
    <message>
        <location filename="../editor.py" line="221"/>
        <source>The schedule in words</source>
        <translation>La planification en clair</translation>
    </message>
    <message>
        <location filename="../editor.py" line="223"/>
        <source>The next 5 runs</source>
        <translation>Les 5 prochaines exécutions</translation>
    </message>
    <message>
        <location filename="../editor.py" line="229"/>
        <source>Scheduler backend</source>
        <translation>Planificateur</translation>
    </message>
    <message>
        <location filename="../editor.py" line="231"/>
        <source>Automatic ({name})</source>
        <translation>Automatique ({name})</translation>
    </message>
    <message>
        <location filename="../editor.py" line="234"/>
        <source>cron (crontab)</source>
        <translation>cron (crontab)</translation>
    </message>
    <message>
        <location filename="../editor.py" line="235"/>
        <source>launchd (macOS)</source>
        <translation>launchd (macOS)</translation>
    </message>
    <message>
        <location filename="../editor.py" line="236"/>
        <source>Task Scheduler (Windows)</source>
        <translation>Planificateur de tâches (Windows)</translation>
    </message>
    <message>
        <location filename="../editor.py" line="237"/>
        <source>systemd timer (Linux)</source>
        <translation>minuteur systemd (Linux)</translation>
    </message>
    <message>
        <location filename="../editor.py" line="244"/>
        <source>Backend note</source>
        <translation>Remarque sur le planificateur</translation>
    </message>
    <message>
        <location filename="../editor.py" line="245"/>
        <source>As &amp;me, when I&apos;m logged in</source>
        <translation>En mon &amp;nom, quand je suis connecté</translation>
    </message>
    <message>
        <location filename="../editor.py" line="246"/>
        <source>Always, as a dedicated &amp;user:</source>
        <translation>Toujours, en tant qu&apos;&amp;utilisateur dédié :</translation>
    </message>
    <message>
        <location filename="../editor.py" line="251"/>
        <source>Dedicated user name</source>
        <translation>Nom de l&apos;utilisateur dédié</translation>
    </message>
    <message>
        <location filename="../editor.py" line="252"/>
        <source>e.g. bwdc</source>
        <translation>ex. bwdc</translation>
    </message>
    <message>
        <location filename="../editor.py" line="253"/>
        <source>User name error</source>
        <translation>Erreur de nom d&apos;utilisateur</translation>
    </message>
    <message>
        <location filename="../editor.py" line="256"/>
        <source>The dedicated user cannot reach your login keyring: run `doctor` to check the secrets from the job&apos;s context.</source>
        <translation>L&apos;utilisateur dédié n&apos;a pas accès à votre trousseau de session : lancez `doctor` pour vérifier les secrets depuis le contexte de la tâche.</translation>
    </message>
    <message>
        <location filename="../editor.py" line="266"/>
        <location filename="../editor.py" line="317"/>
        <source>What will be installed</source>
        <translation>Ce qui sera installé</translation>
    </message>
    <message>
        <location filename="../editor.py" line="271"/>
        <source>State of the installed job</source>
        <translation>État de la tâche installée</translation>
    </message>
    <message>
        <location filename="../editor.py" line="272"/>
        <source>&amp;Repair</source>
        <translation>&amp;Réparer</translation>
    </message>
    <message>
        <location filename="../editor.py" line="273"/>
        <source>Repair the installed job</source>
        <translation>Réparer la tâche installée</translation>
    </message>
    <message>
        <location filename="../editor.py" line="276"/>
        <source>Result</source>
        <translation>Résultat</translation>
    </message>
    <message>
        <location filename="../editor.py" line="280"/>
        <source>A&amp;pply</source>
        <translation>A&amp;ppliquer</translation>
    </message>
    <message>
        <location filename="../editor.py" line="282"/>
        <source>Apply: install the OS job</source>
        <translation>Appliquer : installer la tâche système</translation>
    </message>
    <message>
        <location filename="../editor.py" line="285"/>
        <source>Remo&amp;ve schedule</source>
        <translation>Supprimer la pla&amp;nification</translation>
    </message>
    <message>
        <location filename="../editor.py" line="287"/>
        <source>Remove the schedule and its OS job</source>
        <translation>Supprimer la planification et sa tâche système</translation>
    </message>
    <message>
        <location filename="../editor.py" line="291"/>
        <source>When</source>
        <translation>Quand</translation>
    </message>
    <message>
        <location filename="../editor.py" line="293"/>
        <source>&amp;Preset:</source>
        <translation>&amp;Modèle :</translation>
    </message>
    <message>
        <location filename="../editor.py" line="298"/>
        <source>&amp;Cron:</source>
        <translation>&amp;Cron :</translation>
    </message>
    <message>
        <location filename="../editor.py" line="301"/>
        <source>In words:</source>
        <translation>En clair :</translation>
    </message>
    <message>
        <location filename="../editor.py" line="302"/>
        <source>Next runs:</source>
        <translation>Prochaines exécutions :</translation>
    </message>
    <message>
        <location filename="../editor.py" line="305"/>
        <source>How</source>
        <translation>Comment</translation>
    </message>
    <message>
        <location filename="../editor.py" line="307"/>
        <source>&amp;Backend:</source>
        <translation>&amp;Planificateur :</translation>
    </message>
    <message>
        <location filename="../editor.py" line="309"/>
        <source>Runs:</source>
        <translation>Exécution :</translation>
    </message>
    <message>
        <location filename="../editor.py" line="443"/>
        <source> minute(s)</source>
        <translation> minute(s)</translation>
    </message>
    <message>
        <location filename="../editor.py" line="443"/>
        <source> hour(s)</source>
        <translation> heure(s)</translation>
    </message>
    <message>
        <location filename="../editor.py" line="540"/>
        <source>give the dedicated user&apos;s name</source>
        <translation>indiquez le nom de l&apos;utilisateur dédié</translation>
    </message>
    <message>
        <location filename="../editor.py" line="553"/>
        <source>Schedules are paused: Apply saves the schedule; its job is installed at Resume.</source>
        <translation>Les planifications sont suspendues : Appliquer enregistre la planification ; sa tâche sera installée à la reprise.</translation>
    </message>
    <message>
        <location filename="../editor.py" line="570"/>
        <source>(no valid schedule yet)</source>
        <translation>(pas encore de planification valide)</translation>
    </message>
    <message>
        <location filename="../editor.py" line="582"/>
        <source>{backend} cannot represent this schedule: {error}</source>
        <translation>{backend} ne peut pas représenter cette planification : {error}</translation>
    </message>
    <message>
        <location filename="../editor.py" line="602"/>
        <source>in sync</source>
        <translation>à jour</translation>
    </message>
    <message>
        <location filename="../editor.py" line="603"/>
        <source>drifted: the installed job differs from this schedule</source>
        <translation>divergente : la tâche installée diffère de cette planification</translation>
    </message>
    <message>
        <location filename="../editor.py" line="604"/>
        <source>missing: no job is installed for this schedule</source>
        <translation>absente : aucune tâche n&apos;est installée pour cette planification</translation>
    </message>
    <message>
        <location filename="../editor.py" line="605"/>
        <source>no schedule, no job</source>
        <translation>aucune planification, aucune tâche</translation>
    </message>
    <message>
        <location filename="../editor.py" line="607"/>
        <source>Installed job ({backend}): {state}</source>
        <translation>Tâche installée ({backend}) : {state}</translation>
    </message>
    <message>
        <location filename="../editor.py" line="611"/>
        <source>Saved schedule: {expr} — {words}</source>
        <translation>Planification enregistrée : {expr} — {words}</translation>
    </message>
    <message>
        <location filename="../editor.py" line="636"/>
        <source>Fix:</source>
        <translation>Solution :</translation>
    </message>
    <message>
        <location filename="../editor.py" line="640"/>
        <source>could not run the scheduler: {error}</source>
        <translation>impossible d&apos;exécuter le planificateur : {error}</translation>
    </message>
    <message>
        <location filename="../editor.py" line="664"/>
        <source>Saved: {words}.</source>
        <translation>Enregistré : {words}.</translation>
    </message>
    <message>
        <location filename="../editor.py" line="665"/>
        <source>The OS job is installed.</source>
        <translation>La tâche système est installée.</translation>
    </message>
    <message>
        <location filename="../editor.py" line="668"/>
        <source>warning: {text}</source>
        <translation>avertissement : {text}</translation>
    </message>
    <message>
        <location filename="../editor.py" line="680"/>
        <source>Schedule removed</source>
        <translation>Planification supprimée</translation>
    </message>
    <message>
        <location filename="../editor.py" line="682"/>
        <source>; its OS job was removed.</source>
        <translation> ; sa tâche système a été supprimée.</translation>
    </message>
    <message>
        <location filename="../editor.py" line="684"/>
        <source>; there was no OS job.</source>
        <translation> ; il n&apos;y avait pas de tâche système.</translation>
    </message>
    <message>
        <location filename="../editor.py" line="687"/>
        <source>Apply installs it again.</source>
        <translation>Appliquer la réinstalle.</translation>
    </message>
    <message>
        <location filename="../editor.py" line="698"/>
        <source>nothing to do</source>
        <translation>rien à faire</translation>
    </message>
    <message>
        <location filename="../editor.py" line="713"/>
        <source>Password of {user}</source>
        <translation>Mot de passe de {user}</translation>
    </message>
    <message>
        <location filename="../editor.py" line="714"/>
        <source>Windows password of {user}, for the scheduled task (not stored):</source>
        <translation>Mot de passe Windows de {user}, pour la tâche planifiée (non enregistré) :</translation>
    </message>
</context>
<context>
    <name>SecretsDialog</name>
    <message>
        <location filename="../dialogs.py" line="435"/>
        <source>Secrets of {name} — bwdc-tray</source>
        <translation>Secrets de {name} — bwdc-tray</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="436"/>
        <source>Secrets of {name}</source>
        <translation>Secrets de {name}</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="440"/>
        <source>Which secrets are stored</source>
        <translation>Secrets enregistrés</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="441"/>
        <source>API client_id</source>
        <translation>client_id de l&apos;API</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="443"/>
        <source>client_id error</source>
        <translation>Erreur de client_id</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="444"/>
        <source>API client_secret</source>
        <translation>client_secret de l&apos;API</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="445"/>
        <source>Directory secret (optional)</source>
        <translation>Secret de l&apos;annuaire (facultatif)</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="446"/>
        <source>empty: leave as it is</source>
        <translation>vide : laisser tel quel</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="447"/>
        <source>Error</source>
        <translation>Erreur</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="452"/>
        <source>Store the secrets in the keyring</source>
        <translation>Enregistrer les secrets dans le trousseau</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="454"/>
        <source>&amp;Delete stored secrets</source>
        <translation>&amp;Supprimer les secrets enregistrés</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="456"/>
        <source>Delete the stored secrets</source>
        <translation>Supprimer les secrets enregistrés</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="459"/>
        <source>API &amp;client_id:</source>
        <translation>&amp;client_id de l&apos;API :</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="461"/>
        <source>API client_&amp;secret:</source>
        <translation>client_&amp;secret de l&apos;API :</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="462"/>
        <source>Di&amp;rectory secret:</source>
        <translation>Secret de l&apos;&amp;annuaire :</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="465"/>
        <source>The directory secret is the LDAP bind password, the Entra ID key, the Google service key, the Okta token or the OneLogin secret.</source>
        <translation>Le secret de l&apos;annuaire est le mot de passe de liaison LDAP, la clé Entra ID, la clé de service Google, le jeton Okta ou le secret OneLogin.</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="507"/>
        <source>stored</source>
        <translation>enregistré</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="510"/>
        <source>not stored (optional)</source>
        <translation>non enregistré (facultatif)</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="512"/>
        <source>not stored</source>
        <translation>non enregistré</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="553"/>
        <source>stored {what} for {name} in the keyring</source>
        <translation>{what} de {name} enregistré(s) dans le trousseau</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="570"/>
        <source>{count} keyring entries deleted.</source>
        <translation>{count} entrée(s) du trousseau supprimée(s).</translation>
    </message>
</context>
<context>
    <name>State</name>
    <message>
        <location filename="../icons.py" line="47"/>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../icons.py" line="48"/>
        <source>Running</source>
        <translation>En cours</translation>
    </message>
    <message>
        <location filename="../icons.py" line="49"/>
        <source>Failed</source>
        <translation>Échec</translation>
    </message>
    <message>
        <location filename="../icons.py" line="50"/>
        <source>Timed out</source>
        <translation>Délai dépassé</translation>
    </message>
    <message>
        <location filename="../icons.py" line="51"/>
        <source>Never synced</source>
        <translation>Jamais synchronisé</translation>
    </message>
    <message>
        <location filename="../icons.py" line="52"/>
        <source>Paused</source>
        <translation>Suspendu</translation>
    </message>
    <message>
        <location filename="../icons.py" line="53"/>
        <source>Unknown</source>
        <translation>Inconnu</translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <location filename="../tray.py" line="111"/>
        <source>bwdc-tray menu</source>
        <translation>Menu de bwdc-tray</translation>
    </message>
    <message>
        <location filename="../tray.py" line="165"/>
        <source>at an unknown time</source>
        <translation>à une heure inconnue</translation>
    </message>
    <message>
        <location filename="../tray.py" line="168"/>
        <source>just now</source>
        <translation>à l&apos;instant</translation>
    </message>
    <message numerus="yes">
        <location filename="../tray.py" line="171"/>
        <source>%n min ago</source>
        <translation>
            <numerusform>il y a %n min</numerusform>
            <numerusform>il y a %n min</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../tray.py" line="174"/>
        <source>%n h ago</source>
        <translation>
            <numerusform>il y a %n h</numerusform>
            <numerusform>il y a %n h</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../tray.py" line="175"/>
        <source>%n days ago</source>
        <translation>
            <numerusform>il y a %n jour</numerusform>
            <numerusform>il y a %n jours</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../tray.py" line="198"/>
        <source>running…</source>
        <translation>en cours…</translation>
    </message>
    <message>
        <location filename="../tray.py" line="202"/>
        <source>status unknown</source>
        <translation>état inconnu</translation>
    </message>
    <message>
        <location filename="../tray.py" line="203"/>
        <source>never synced</source>
        <translation>jamais synchronisé</translation>
    </message>
    <message>
        <location filename="../tray.py" line="207"/>
        <source>synced {ago}</source>
        <translation>synchronisé {ago}</translation>
    </message>
    <message numerus="yes">
        <location filename="../tray.py" line="209"/>
        <source>%n groups</source>
        <translation>
            <numerusform>%n groupe</numerusform>
            <numerusform>%n groupes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../tray.py" line="211"/>
        <source>%n users</source>
        <translation>
            <numerusform>%n utilisateur</numerusform>
            <numerusform>%n utilisateurs</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../tray.py" line="214"/>
        <source>timed out {ago}</source>
        <translation>délai dépassé {ago}</translation>
    </message>
    <message>
        <location filename="../tray.py" line="217"/>
        <source>failed {ago}: {message}</source>
        <translation>échec {ago} : {message}</translation>
    </message>
    <message>
        <location filename="../tray.py" line="218"/>
        <source>failed {ago}</source>
        <translation>échec {ago}</translation>
    </message>
    <message>
        <location filename="../tray.py" line="222"/>
        <source>paused</source>
        <translation>suspendu</translation>
    </message>
    <message>
        <location filename="../tray.py" line="224"/>
        <source>not scheduled</source>
        <translation>non planifié</translation>
    </message>
    <message>
        <location filename="../tray.py" line="233"/>
        <source>bwdc-tray: no instances yet</source>
        <translation>bwdc-tray : aucune instance pour l&apos;instant</translation>
    </message>
    <message>
        <location filename="../tray.py" line="238"/>
        <source>All schedules are paused</source>
        <translation>Toutes les planifications sont suspendues</translation>
    </message>
    <message>
        <location filename="../tray.py" line="245"/>
        <source>next run {when}</source>
        <translation>prochaine exécution {when}</translation>
    </message>
    <message numerus="yes">
        <location filename="../tray.py" line="250"/>
        <source>…and %n more</source>
        <translation>
            <numerusform>…et %n autre</numerusform>
            <numerusform>…et %n autres</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../tray.py" line="308"/>
        <source>Sync now</source>
        <translation>Synchroniser maintenant</translation>
    </message>
    <message>
        <location filename="../tray.py" line="314"/>
        <source>Sync {name} now</source>
        <translation>Synchroniser {name} maintenant</translation>
    </message>
    <message>
        <location filename="../tray.py" line="321"/>
        <source>All instances</source>
        <translation>Toutes les instances</translation>
    </message>
    <message>
        <location filename="../tray.py" line="323"/>
        <source>Sync every instance now</source>
        <translation>Synchroniser toutes les instances maintenant</translation>
    </message>
    <message numerus="yes">
        <location filename="../tray.py" line="333"/>
        <source>…and %n more (see Instances…)</source>
        <translation>
            <numerusform>…et %n autre (voir Instances…)</numerusform>
            <numerusform>…et %n autres (voir Instances…)</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../tray.py" line="339"/>
        <source>Instances…</source>
        <translation>Instances…</translation>
    </message>
    <message>
        <location filename="../tray.py" line="341"/>
        <source>Open the window with every instance</source>
        <translation>Ouvrir la fenêtre listant toutes les instances</translation>
    </message>
    <message>
        <location filename="../tray.py" line="346"/>
        <source>Resume all schedules</source>
        <translation>Reprendre toutes les planifications</translation>
    </message>
    <message>
        <location filename="../tray.py" line="348"/>
        <source>Install the scheduled jobs again</source>
        <translation>Réinstaller les tâches planifiées</translation>
    </message>
    <message>
        <location filename="../tray.py" line="353"/>
        <source>Pause all schedules</source>
        <translation>Suspendre toutes les planifications</translation>
    </message>
    <message>
        <location filename="../tray.py" line="355"/>
        <source>Remove the scheduled jobs and keep the schedules</source>
        <translation>Supprimer les tâches planifiées en conservant les planifications</translation>
    </message>
    <message>
        <location filename="../tray.py" line="365"/>
        <source>Quit</source>
        <translation>Quitter</translation>
    </message>
    <message>
        <location filename="../tray.py" line="367"/>
        <source>Close the tray; runs already started go on</source>
        <translation>Fermer l&apos;icône de notification ; les exécutions déjà lancées continuent</translation>
    </message>
    <message>
        <location filename="../tray.py" line="377"/>
        <source>Last run: {result}</source>
        <translation>Dernière exécution : {result}</translation>
    </message>
    <message>
        <location filename="../tray.py" line="379"/>
        <source>Next run: {when}</source>
        <translation>Prochaine exécution : {when}</translation>
    </message>
    <message>
        <location filename="../tray.py" line="382"/>
        <source>Problem: {problem}</source>
        <translation>Problème : {problem}</translation>
    </message>
    <message>
        <location filename="../tray.py" line="386"/>
        <source>Open log</source>
        <translation>Ouvrir le journal</translation>
    </message>
    <message>
        <location filename="../tray.py" line="388"/>
        <source>Open the log of {name}</source>
        <translation>Ouvrir le journal de {name}</translation>
    </message>
    <message>
        <location filename="../tray.py" line="393"/>
        <source>Edit schedule…</source>
        <translation>Modifier la planification…</translation>
    </message>
    <message>
        <location filename="../tray.py" line="395"/>
        <source>Edit the schedule of {name}</source>
        <translation>Modifier la planification de {name}</translation>
    </message>
</context>
</TS>
