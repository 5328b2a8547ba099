<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>AddInstanceDialog</name>
    <message>
        <location filename="../dialogs.py" line="107"/>
        <source>Add an instance — bwdc-tray</source>
        <translation>Ajouter une instance — bwdc-tray</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="108"/>
        <source>Add an instance</source>
        <translation>Ajouter une instance</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="110"/>
        <source>Edit {name} — bwdc-tray</source>
        <translation>Modifier {name} — bwdc-tray</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="111"/>
        <source>Edit {name}</source>
        <translation>Modifier {name}</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="124"/>
        <source>e.g. corp-ad</source>
        <translation>ex. corp-ad</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="125"/>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="126"/>
        <source>Name error</source>
        <translation>Erreur de nom</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="128"/>
        <source>free text shown beside the name</source>
        <translation>texte libre affiché à côté du nom</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="129"/>
        <source>Label</source>
        <translation>Libellé</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="130"/>
        <source>Label error</source>
        <translation>Erreur de libellé</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="132"/>
        <source>the folder that holds bwdc&apos;s data.json</source>
        <translation>le dossier qui contient le data.json de bwdc</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="133"/>
        <source>Data folder</source>
        <translation>Dossier de données</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="134"/>
        <source>&amp;Browse…</source>
        <translation>&amp;Parcourir…</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="135"/>
        <source>Choose the data folder</source>
        <translation>Choisir le dossier de données</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="136"/>
        <source>Data folder error</source>
        <translation>Erreur de dossier de données</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="139"/>
        <source>What data.json says</source>
        <translation>Ce qu&apos;indique data.json</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="142"/>
        <source>not found on PATH: give its path</source>
        <translation>introuvable dans le PATH : indiquez son chemin</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="144"/>
        <source>bwdc program (optional)</source>
        <translation>Programme bwdc (facultatif)</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="145"/>
        <source>Br&amp;owse…</source>
        <translation>Parc&amp;ourir…</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="146"/>
        <source>Choose the bwdc program</source>
        <translation>Choisir le programme bwdc</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="147"/>
        <source>bwdc program error</source>
        <translation>Erreur de programme bwdc</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="149"/>
        <source>default: &lt;data folder&gt;/bwdc.log</source>
        <translation>par défaut : &lt;dossier de données&gt;/bwdc.log</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="150"/>
        <source>Log file (optional)</source>
        <translation>Fichier journal (facultatif)</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="151"/>
        <source>Log file error</source>
        <translation>Erreur de fichier journal</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="153"/>
        <source>Timeout in seconds</source>
        <translation>Délai maximal en secondes</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="154"/>
        <source>Timeout error</source>
        <translation>Erreur de délai maximal</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="156"/>
        <source>Login mode</source>
        <translation>Mode de connexion</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="158"/>
        <source>isolated: API key on disk only during a run (safe default)</source>
        <translation>isolé : clé d&apos;API sur disque uniquement pendant une exécution (choix sûr par défaut)</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="161"/>
        <source>keychain: bwdc&apos;s OS keychain, one run at a time</source>
        <translation>trousseau : trousseau du système utilisé par bwdc, une exécution à la fois</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="163"/>
        <source>Data folder or log already in use</source>
        <translation>Dossier de données ou journal déjà utilisé</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="164"/>
        <source>Error</source>
        <translation>Erreur</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="169"/>
        <source>&amp;Add</source>
        <translation>&amp;Ajouter</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="170"/>
        <source>Add the instance</source>
        <translation>Ajouter l&apos;instance</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="172"/>
        <source>&amp;Save</source>
        <translation>&amp;Enregistrer</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="173"/>
        <source>Save the changes</source>
        <translation>Enregistrer les modifications</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="177"/>
        <source>&amp;Name:</source>
        <translation>&amp;Nom :</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="179"/>
        <source>&amp;Label:</source>
        <translation>&amp;Libellé :</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="184"/>
        <source>&amp;Data folder:</source>
        <translation>&amp;Dossier de données :</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="192"/>
        <source>b&amp;wdc program:</source>
        <translation>Programme b&amp;wdc :</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="196"/>
        <source>Lo&amp;g file:</source>
        <translation>Fichier &amp;journal :</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="198"/>
        <source>&amp;Timeout (seconds):</source>
        <translation>Délai &amp;maximal (secondes) :</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="200"/>
        <source>Log&amp;in mode:</source>
        <translation>Mode de &amp;connexion :</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="228"/>
        <source>The name identifies the OS job, the keyring entries and the status file.</source>
        <translation>Le nom identifie la tâche planifiée, les entrées du trousseau et le fichier d&apos;état.</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="280"/>
        <source>Directory: {directory}
Organization: {org}
Server: {server}</source>
        <translation>Annuaire : {directory}
Organisation : {org}
Serveur : {server}</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="282"/>
        <source>not configured yet</source>
        <translation>pas encore configuré</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="315"/>
        <source>bwdc was not found on PATH or in the usual places; runs will fail until it is installed or its path is given here</source>
        <translation>bwdc est introuvable dans le PATH et aux emplacements habituels ; les exécutions échoueront tant qu&apos;il n&apos;est pas installé ou que son chemin n&apos;est pas indiqué ici</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="358"/>
        <source>The bwdc data folder (with data.json)</source>
        <translation>Le dossier de données de bwdc (avec data.json)</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="365"/>
        <source>The bwdc program</source>
        <translation>Le programme bwdc</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="393"/>
        <location filename="../dialogs.py" line="414"/>
        <source>cannot save: {error}</source>
        <translation>enregistrement impossible : {error}</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <location filename="../app.py" line="145"/>
        <source>Start at login</source>
        <translation>Démarrer à l&apos;ouverture de session</translation>
    </message>
    <message>
        <location filename="../app.py" line="146"/>
        <source>Start the tray when you log in</source>
        <translation>Lancer l&apos;icône de notification à l&apos;ouverture de session</translation>
    </message>
    <message>
        <location filename="../app.py" line="151"/>
        <source>Mute notifications</source>
        <translation>Couper les notifications</translation>
    </message>
    <message>
        <location filename="../app.py" line="152"/>
        <source>No balloon when a sync fails or recovers</source>
        <translation>Aucune bulle quand une synchronisation échoue ou reprend</translation>
    </message>
    <message>
        <location filename="../app.py" line="180"/>
        <source>No system tray is available on this desktop: bwdc-tray runs as a window. Scheduled syncs do not need it; they run as OS jobs.</source>
        <translation>Aucune zone de notification n&apos;est disponible sur ce bureau : bwdc-tray s&apos;exécute dans une fenêtre. Les synchronisations planifiées n&apos;en ont pas besoin ; elles s&apos;exécutent comme tâches du système.</translation>
    </message>
</context>
<context>
    <name>Controller</name>
    <message>
        <location filename="../controller.py" line="45"/>
        <source>cannot read the instances: {error}</source>
        <translation>impossible de lire les instances : {error}</translation>
    </message>
    <message>
        <location filename="../controller.py" line="148"/>
        <source>{name}: could not start the run: {error}</source>
        <translation>{name} : impossible de lancer l&apos;exécution : {error}</translation>
    </message>
    <message>
        <location filename="../controller.py" line="165"/>
        <source>{name} has no log yet ({log})</source>
        <translation>{name} n&apos;a pas encore de journal ({log})</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../window.py" line="76"/>
        <location filename="../window.py" line="84"/>
        <source>just now</source>
        <translation>à l&apos;instant</translation>
    </message>
    <message>
        <location filename="../window.py" line="78"/>
        <source>{n} d ago</source>
        <translation>il y a {n} j</translation>
    </message>
    <message>
        <location filename="../window.py" line="79"/>
        <source>{n} h ago</source>
        <translation>il y a {n} h</translation>
    </message>
    <message>
        <location filename="../window.py" line="80"/>
        <source>{n} min ago</source>
        <translation>il y a {n} min</translation>
    </message>
    <message>
        <location filename="../window.py" line="93"/>
        <source>today {time}</source>
        <translation>aujourd&apos;hui {time}</translation>
    </message>
    <message>
        <location filename="../window.py" line="101"/>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../window.py" line="102"/>
        <source>failed</source>
        <translation>échec</translation>
    </message>
    <message>
        <location filename="../window.py" line="103"/>
        <location filename="../window.py" line="791"/>
        <source>running…</source>
        <translation>en cours…</translation>
    </message>
    <message>
        <location filename="../window.py" line="104"/>
        <source>timed out</source>
        <translation>délai dépassé</translation>
    </message>
    <message>
        <location filename="../window.py" line="105"/>
        <source>never synced</source>
        <translation>jamais synchronisé</translation>
    </message>
    <message>
        <location filename="../window.py" line="106"/>
        <location filename="../window.py" line="786"/>
        <source>unknown</source>
        <translation>inconnu</translation>
    </message>
    <message>
        <location filename="../window.py" line="107"/>
        <location filename="../window.py" line="236"/>
        <source>paused</source>
        <translation>suspendu</translation>
    </message>
    <message>
        <location filename="../window.py" line="113"/>
        <source>in sync</source>
        <translation>à jour</translation>
    </message>
    <message>
        <location filename="../window.py" line="114"/>
        <source>drifted</source>
        <translation>divergente</translation>
    </message>
    <message>
        <location filename="../window.py" line="115"/>
        <source>missing</source>
        <translation>absente</translation>
    </message>
    <message>
        <location filename="../window.py" line="123"/>
        <source>{g} groups, {u} users</source>
        <translation>{g} groupes, {u} utilisateurs</translation>
    </message>
    <message>
        <location filename="../window.py" line="135"/>
        <source>last: {result}</source>
        <translation>dernière : {result}</translation>
    </message>
    <message>
        <location filename="../window.py" line="178"/>
        <location filename="../window.py" line="322"/>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location filename="../window.py" line="179"/>
        <source>Label</source>
        <translation>Libellé</translation>
    </message>
    <message>
        <location filename="../window.py" line="180"/>
        <source>Directory</source>
        <translation>Annuaire</translation>
    </message>
    <message>
        <location filename="../window.py" line="181"/>
        <source>Schedule</source>
        <translation>Planification</translation>
    </message>
    <message>
        <location filename="../window.py" line="182"/>
        <source>Next run</source>
        <translation>Prochaine exécution</translation>
    </message>
    <message>
        <location filename="../window.py" line="183"/>
        <source>Last result</source>
        <translation>Dernier résultat</translation>
    </message>
    <message>
        <location filename="../window.py" line="184"/>
        <source>Job</source>
        <translation>Tâche</translation>
    </message>
    <message>
        <location filename="../window.py" line="228"/>
        <source>? (see tooltip)</source>
        <translation>? (voir l&apos;infobulle)</translation>
    </message>
    <message>
        <location filename="../window.py" line="232"/>
        <source>no schedule</source>
        <translation>aucune planification</translation>
    </message>
    <message>
        <location filename="../window.py" line="244"/>
        <source>{name}: {state}</source>
        <translation>{name} : {state}</translation>
    </message>
    <message>
        <location filename="../window.py" line="248"/>
        <source>Data folder</source>
        <translation>Dossier de données</translation>
    </message>
    <message>
        <location filename="../window.py" line="251"/>
        <source>Organization</source>
        <translation>Organisation</translation>
    </message>
    <message>
        <location filename="../window.py" line="261"/>
        <source>as a dedicated user</source>
        <translation>en tant qu&apos;utilisateur dédié</translation>
    </message>
    <message>
        <location filename="../window.py" line="263"/>
        <source>as you</source>
        <translation>en votre nom</translation>
    </message>
    <message>
        <location filename="../window.py" line="309"/>
        <source>Test of {name} (dry run) — bwdc-tray</source>
        <translation>Test de {name} (simulation) — bwdc-tray</translation>
    </message>
    <message>
        <location filename="../window.py" line="313"/>
        <source>Dry run result</source>
        <translation>Résultat de la simulation</translation>
    </message>
    <message>
        <location filename="../window.py" line="317"/>
        <source>Summary</source>
        <translation>Résumé</translation>
    </message>
    <message>
        <location filename="../window.py" line="323"/>
        <source>Details</source>
        <translation>Détails</translation>
    </message>
    <message>
        <location filename="../window.py" line="327"/>
        <source>What would be synced</source>
        <translation>Ce qui serait synchronisé</translation>
    </message>
    <message>
        <location filename="../window.py" line="338"/>
        <source>the dry run gave no answer</source>
        <translation>la simulation n&apos;a donné aucune réponse</translation>
    </message>
    <message>
        <location filename="../window.py" line="344"/>
        <source>Fix:</source>
        <translation>Solution :</translation>
    </message>
    <message>
        <location filename="../window.py" line="351"/>
        <source>Groups</source>
        <translation>Groupes</translation>
    </message>
    <message>
        <location filename="../window.py" line="352"/>
        <source>Users</source>
        <translation>Utilisateurs</translation>
    </message>
    <message>
        <location filename="../window.py" line="353"/>
        <source>Disabled users</source>
        <translation>Utilisateurs désactivés</translation>
    </message>
    <message>
        <location filename="../window.py" line="354"/>
        <source>Deleted users</source>
        <translation>Utilisateurs supprimés</translation>
    </message>
    <message>
        <location filename="../window.py" line="364"/>
        <source>… and {n} more</source>
        <translation>… et {n} de plus</translation>
    </message>
    <message>
        <location filename="../window.py" line="378"/>
        <source>{n} members</source>
        <translation>{n} membres</translation>
    </message>
    <message>
        <location filename="../window.py" line="443"/>
        <source>Instances</source>
        <translation>Instances</translation>
    </message>
    <message>
        <location filename="../window.py" line="462"/>
        <location filename="../window.py" line="586"/>
        <source>&amp;Add…</source>
        <translation>&amp;Ajouter…</translation>
    </message>
    <message>
        <location filename="../window.py" line="463"/>
        <location filename="../window.py" line="592"/>
        <source>&amp;Properties…</source>
        <translation>&amp;Propriétés…</translation>
    </message>
    <message>
        <location filename="../window.py" line="464"/>
        <location filename="../window.py" line="599"/>
        <source>&amp;Edit schedule…</source>
        <translation>&amp;Modifier la planification…</translation>
    </message>
    <message>
        <location filename="../window.py" line="465"/>
        <location filename="../window.py" line="605"/>
        <source>&amp;Remove…</source>
        <translation>&amp;Supprimer…</translation>
    </message>
    <message>
        <location filename="../window.py" line="466"/>
        <location filename="../window.py" line="611"/>
        <source>Se&amp;crets…</source>
        <translation>Se&amp;crets…</translation>
    </message>
    <message>
        <location filename="../window.py" line="467"/>
        <source>&amp;Test</source>
        <translation>&amp;Tester</translation>
    </message>
    <message>
        <location filename="../window.py" line="468"/>
        <location filename="../window.py" line="623"/>
        <source>&amp;Sync now</source>
        <translation>Synchroniser mai&amp;ntenant</translation>
    </message>
    <message>
        <location filename="../window.py" line="481"/>
        <location filename="../window.py" line="765"/>
        <source>History</source>
        <translation>Historique</translation>
    </message>
    <message>
        <location filename="../window.py" line="485"/>
        <source>Time</source>
        <translation>Heure</translation>
    </message>
    <message>
        <location filename="../window.py" line="486"/>
        <source>Trigger</source>
        <translation>Déclencheur</translation>
    </message>
    <message>
        <location filename="../window.py" line="487"/>
        <source>Result</source>
        <translation>Résultat</translation>
    </message>
    <message>
        <location filename="../window.py" line="488"/>
        <source>Counts</source>
        <translation>Nombres</translation>
    </message>
    <message>
        <location filename="../window.py" line="489"/>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <location filename="../window.py" line="493"/>
        <source>Run history of the selected instance</source>
        <translation>Historique des exécutions de l&apos;instance sélectionnée</translation>
    </message>
    <message>
        <location filename="../window.py" line="512"/>
        <source>Log of the selected run</source>
        <translation>Journal de l&apos;exécution sélectionnée</translation>
    </message>
    <message>
        <location filename="../window.py" line="515"/>
        <source>Select a run to see its log</source>
        <translation>Sélectionnez une exécution pour voir son journal</translation>
    </message>
    <message>
        <location filename="../window.py" line="542"/>
        <source>Run in progress</source>
        <translation>Exécution en cours</translation>
    </message>
    <message>
        <location filename="../window.py" line="546"/>
        <source>Runs in progress</source>
        <translation>Exécutions en cours</translation>
    </message>
    <message>
        <location filename="../window.py" line="549"/>
        <source>&amp;Undo</source>
        <translation>&amp;Annuler</translation>
    </message>
    <message>
        <location filename="../window.py" line="551"/>
        <source>Undo the removal</source>
        <translation>Annuler la suppression</translation>
    </message>
    <message>
        <location filename="../window.py" line="617"/>
        <source>&amp;Test (dry run)</source>
        <translation>&amp;Tester (simulation)</translation>
    </message>
    <message>
        <location filename="../window.py" line="629"/>
        <source>Sync &amp;all</source>
        <translation>Synchroniser t&amp;out</translation>
    </message>
    <message>
        <location filename="../window.py" line="632"/>
        <source>Open &amp;log file</source>
        <translation>Ouvrir le fichier &amp;journal</translation>
    </message>
    <message>
        <location filename="../window.py" line="635"/>
        <source>&amp;Undo removal</source>
        <translation>&amp;Annuler la suppression</translation>
    </message>
    <message>
        <location filename="../window.py" line="640"/>
        <source>&amp;Refresh</source>
        <translation>Ac&amp;tualiser</translation>
    </message>
    <message>
        <location filename="../window.py" line="643"/>
        <source>&amp;Close window</source>
        <translation>&amp;Fermer la fenêtre</translation>
    </message>
    <message>
        <location filename="../window.py" line="648"/>
        <source>&amp;Instance</source>
        <translation>&amp;Instance</translation>
    </message>
    <message>
        <location filename="../window.py" line="662"/>
        <source>&amp;Edit</source>
        <translation>É&amp;dition</translation>
    </message>
    <message>
        <location filename="../window.py" line="664"/>
        <source>&amp;View</source>
        <translation>Afficha&amp;ge</translation>
    </message>
    <message>
        <location filename="../window.py" line="743"/>
        <source>{name} (dry run)</source>
        <translation>{name} (simulation)</translation>
    </message>
    <message>
        <location filename="../window.py" line="750"/>
        <source>Running: {names}</source>
        <translation>En cours : {names}</translation>
    </message>
    <message>
        <location filename="../window.py" line="769"/>
        <source>History of {name}</source>
        <translation>Historique de {name}</translation>
    </message>
    <message>
        <location filename="../window.py" line="775"/>
        <source>cannot read {path}: {error}</source>
        <translation>impossible de lire {path} : {error}</translation>
    </message>
    <message>
        <location filename="../window.py" line="784"/>
        <source>schedule</source>
        <translation>planification</translation>
    </message>
    <message>
        <location filename="../window.py" line="785"/>
        <source>manual</source>
        <translation>manuel</translation>
    </message>
    <message>
        <location filename="../window.py" line="788"/>
        <source>(dry run)</source>
        <translation>(simulation)</translation>
    </message>
    <message>
        <location filename="../window.py" line="793"/>
        <source>no outcome</source>
        <translation>aucun résultat</translation>
    </message>
    <message>
        <location filename="../window.py" line="812"/>
        <source>No runs in {path} yet.</source>
        <translation>Aucune exécution dans {path} pour l&apos;instant.</translation>
    </message>
    <message>
        <location filename="../window.py" line="867"/>
        <source>Added {name}. Next: store its API key with Secrets… (Ctrl+K).</source>
        <translation>{name} ajoutée. Ensuite : enregistrez sa clé d&apos;API avec Secrets… (Ctrl+K).</translation>
    </message>
    <message>
        <location filename="../window.py" line="885"/>
        <source>Saved the changes to {name}.</source>
        <translation>Modifications de {name} enregistrées.</translation>
    </message>
    <message>
        <location filename="../window.py" line="911"/>
        <source>Stored the secrets of {name} in the keyring.</source>
        <translation>Secrets de {name} enregistrés dans le trousseau.</translation>
    </message>
    <message>
        <location filename="../window.py" line="925"/>
        <source>Remove {name}?

Its OS job and its keyring entries are removed; its data folder and its log are kept.</source>
        <translation>Supprimer {name} ?

Sa tâche système et ses entrées du trousseau sont supprimées ; son dossier de données et son journal sont conservés.</translation>
    </message>
    <message>
        <location filename="../window.py" line="931"/>
        <source>Its schedule: {words}.</source>
        <translation>Sa planification : {words}.</translation>
    </message>
    <message>
        <location filename="../window.py" line="935"/>
        <source>Remove an instance</source>
        <translation>Supprimer une instance</translation>
    </message>
    <message>
        <location filename="../window.py" line="945"/>
        <source>could not remove {name}: {error}</source>
        <translation>impossible de supprimer {name} : {error}</translation>
    </message>
    <message>
        <location filename="../window.py" line="953"/>
        <source>Removed {name}.</source>
        <translation>{name} supprimée.</translation>
    </message>
    <message>
        <location filename="../window.py" line="975"/>
        <source>Restored {name}.</source>
        <translation>{name} restaurée.</translation>
    </message>
    <message>
        <location filename="../window.py" line="997"/>
        <source>Started a sync of {name}.</source>
        <translation>Synchronisation de {name} lancée.</translation>
    </message>
    <message>
        <location filename="../window.py" line="1006"/>
        <source>Started a sync of every instance.</source>
        <translation>Synchronisation de toutes les instances lancée.</translation>
    </message>
    <message>
        <location filename="../window.py" line="1032"/>
        <source>Testing {name} (dry run)…</source>
        <translation>Test de {name} (simulation)…</translation>
    </message>
    <message>
        <location filename="../window.py" line="1045"/>
        <source>could not start the dry run: {error}</source>
        <translation>impossible de lancer la simulation : {error}</translation>
    </message>
    <message>
        <location filename="../window.py" line="1065"/>
        <source>exit code {code}</source>
        <translation>code de sortie {code}</translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message>
        <location filename="../notify.py" line="35"/>
        <source>{name}: sync failed</source>
        <translation>{name} : échec de la synchronisation</translation>
    </message>
    <message>
        <location filename="../notify.py" line="37"/>
        <source>{name}: sync timed out</source>
        <translation>{name} : délai de synchronisation dépassé</translation>
    </message>
    <message>
        <location filename="../notify.py" line="43"/>
        <source>{name}: syncing again</source>
        <translation>{name} : la synchronisation fonctionne de nouveau</translation>
    </message>
</context>
<context>
    <name>ScheduleEditor</name>
    <message>
        <location filename="../editor.py" line="153"/>
        <source>Schedule of {name} — bwdc-tray</source>
        <translation>Planification de {name} — bwdc-tray</translation>
    </message>
    <message>
        <location filename="../editor.py" line="154"/>
        <source>Schedule of {name}</source>
        <translation>Planification de {name}</translation>
    </message>
    <message>
        <location filename="../editor.py" line="162"/>
        <source>Preset</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <location filename="../editor.py" line="164"/>
        <source>Custom cron expression</source>
        <translation>Expression cron personnalisée</translation>
    </message>
    <message>
        <location filename="../editor.py" line="165"/>
        <source>Every N minutes</source>
        <translation>Toutes les N minutes</translation>
    </message>
    <message>
        <location filename="../editor.py" line="166"/>
        <source>Every N hours</source>
        <translation>Toutes les N heures</translation>
    </message>
    <message>
        <location filename="../editor.py" line="167"/>
        <source>Hourly</source>
        <translation>Toutes les heures</translation>
    </message>
    <message>
        <location filename="../editor.py" line="168"/>
        <source>Daily at</source>
        <translation>Chaque jour à</translation>
    </message>
    <message>
        <location filename="../editor.py" line="169"/>
        <source>Weekly on days at</source>
        <translation>Chaque semaine, certains jours à</translation>
    </message>
    <message>
        <location filename="../editor.py" line="170"/>
        <source>Monthly on day at</source>
        <translation>Chaque mois, le jour à</translation>
    </message>
    <message>
        <location filename="../editor.py" line="175"/>
        <source>Every how many minutes or hours</source>
        <translation>Toutes les combien de minutes ou d&apos;heures</translation>
    </message>
    <message>
        <location filename="../editor.py" line="178"/>
        <source>Time of day</source>
        <translation>Heure de la journée</translation>
    </message>
    <message>
        <location filename="../editor.py" line="181"/>
        <source>Day of the month</source>
        <translation>Jour du mois</translation>
    </message>
    <message>
        <location filename="../editor.py" line="185"/>
        <source>Mon</source>
        <translation>Lun</translation>
    </message>
    <message>
        <location filename="../editor.py" line="186"/>
        <source>Tue</source>
        <translation>Mar</translation>
    </message>
    <message>
        <location filename="../editor.py" line="187"/>
        <source>Wed</source>
        <translation>Mer</translation>
    </message>
    <message>
        <location filename="../editor.py" line="188"/>
        <source>Thu</source>
        <translation>Jeu</translation>
    </message>
    <message>
        <location filename="../editor.py" line="189"/>
        <source>Fri</source>
        <translation>Ven</translation>
    </message>
    <message>
        <location filename="../editor.py" line="190"/>
        <source>Sat</source>
        <translation>Sam</translation>
    </message>
    <message>
        <location filename="../editor.py" line="191"/>
        <source>Sun</source>
        <translation>Dim</translation>
    </message>
    <message>
        <location filename="../editor.py" line="201"/>
        <source>&amp;Every:</source>
        <translation>&amp;Toutes les :</translation>
    </message>
    <message>
        <location filename="../editor.py" line="203"/>
        <source>&amp;At:</source>
        <translation>À &amp;l&apos;heure :</translation>
    </message>
    <message>
        <location filename="../editor.py" line="205"/>
        <source>On &amp;day:</source>
        <translation>Le &amp;jour :</translation>
    </message>
    <message>
        <location filename="../editor.py" line="207"/>
        <source>On:</source>
        <translation>Les :</translation>
    </message>
    <message>
        <location filename="../editor.py" line="210"/>
        <source>Cron expression</source>
        <translation>Expression cron</translation>
    </message>
    <message>
        <location filename="../editor.py" line="211"/>
        <source>minute hour day-of-month month day-of-week</source>
        <translation>minute heure jour-du-mois mois jour-de-la-semaine</translation>
    </message>
    <message>
        <location filename="../editor.py" line="213"/>
        <source>Schedule error</source>
        <translation>Erreur de planification</translation>
    </message>
    <message>
        <location filename="../editor.py" line="214"/>
        <location filename="../editor.py" line="216"/>
        <source>Allow runs closer than 5 minutes apart</source>
        <translation>Autoriser des exécutions à moins de 5 minutes d&apos;intervalle</translation>
    </message>
    <message>
        <location filename="../editor.py" line="220"/>
        <source>The schedule in words</source>
        <translation>La planification en clair</translation>
    </message>
    <message>
        <location filename="../editor.py" line="222"/>
        <source>The next 5 runs</source>
        <translation>Les 5 prochaines exécutions</translation>
    </message>
    <message>
        <location filename="../editor.py" line="228"/>
        <source>Scheduler backend</source>
        <translation>Planificateur</translation>
    </message>
    <message>
        <location filename="../editor.py" line="230"/>
        <source>Automatic ({name})</source>
        <translation>Automatique ({name})</translation>
    </message>
    <message>
        <location filename="../editor.py" line="233"/>
        <source>cron (crontab)</source>
        <translation>cron (crontab)</translation>
    </message>
    <message>
        <location filename="../editor.py" line="234"/>
        <source>launchd (macOS)</source>
        <translation>launchd (macOS)</translation>
    </message>
    <message>
        <location filename="../editor.py" line="235"/>
        <source>Task Scheduler (Windows)</source>
        <translation>Planificateur de tâches (Windows)</translation>
    </message>
    <message>
        <location filename="../editor.py" line="236"/>
        <source>systemd timer (Linux)</source>
        <translation>minuteur systemd (Linux)</translation>
    </message>
    <message>
        <location filename="../editor.py" line="243"/>
        <source>Backend note</source>
        <translation>Remarque sur le planificateur</translation>
    </message>
    <message>
        <location filename="../editor.py" line="244"/>
        <source>As &amp;me, when I&apos;m logged in</source>
        <translation>En mon &amp;nom, quand je suis connecté</translation>
    </message>
    <message>
        <location filename="../editor.py" line="245"/>
        <source>Always, as a dedicated &amp;user:</source>
        <translation>Toujours, en tant qu&apos;&amp;utilisateur dédié :</translation>
    </message>
    <message>
        <location filename="../editor.py" line="250"/>
        <source>Dedicated user name</source>
        <translation>Nom de l&apos;utilisateur dédié</translation>
    </message>
    <message>
        <location filename="../editor.py" line="251"/>
        <source>e.g. bwdc</source>
        <translation>ex. bwdc</translation>
    </message>
    <message>
        <location filename="../editor.py" line="252"/>
        <source>User name error</source>
        <translation>Erreur de nom d&apos;utilisateur</translation>
    </message>
    <message>
        <location filename="../editor.py" line="255"/>
        <source>The dedicated user cannot reach your login keyring: run `doctor` to check the secrets from the job&apos;s context.</source>
        <translation>L&apos;utilisateur dédié n&apos;a pas accès à votre trousseau de session : lancez `doctor` pour vérifier les secrets depuis le contexte de la tâche.</translation>
    </message>
    <message>
        <location filename="../editor.py" line="265"/>
        <location filename="../editor.py" line="316"/>
        <source>What will be installed</source>
        <translation>Ce qui sera installé</translation>
    </message>
    <message>
        <location filename="../editor.py" line="270"/>
        <source>State of the installed job</source>
        <translation>État de la tâche installée</translation>
    </message>
    <message>
        <location filename="../editor.py" line="271"/>
        <source>&amp;Repair</source>
        <translation>&amp;Réparer</translation>
    </message>
    <message>
        <location filename="../editor.py" line="272"/>
        <source>Repair the installed job</source>
        <translation>Réparer la tâche installée</translation>
    </message>
    <message>
        <location filename="../editor.py" line="275"/>
        <source>Result</source>
        <translation>Résultat</translation>
    </message>
    <message>
        <location filename="../editor.py" line="279"/>
        <source>A&amp;pply</source>
        <translation>A&amp;ppliquer</translation>
    </message>
    <message>
        <location filename="../editor.py" line="281"/>
        <source>Apply: install the OS job</source>
        <translation>Appliquer : installer la tâche système</translation>
    </message>
    <message>
        <location filename="../editor.py" line="284"/>
        <source>Remo&amp;ve schedule</source>
        <translation>Supprimer la pla&amp;nification</translation>
    </message>
    <message>
        <location filename="../editor.py" line="286"/>
        <source>Remove the schedule and its OS job</source>
        <translation>Supprimer la planification et sa tâche système</translation>
    </message>
    <message>
        <location filename="../editor.py" line="290"/>
        <source>When</source>
        <translation>Quand</translation>
    </message>
    <message>
        <location filename="../editor.py" line="292"/>
        <source>&amp;Preset:</source>
        <translation>&amp;Modèle :</translation>
    </message>
    <message>
        <location filename="../editor.py" line="297"/>
        <source>&amp;Cron:</source>
        <translation>&amp;Cron :</translation>
    </message>
    <message>
        <location filename="../editor.py" line="300"/>
        <source>In words:</source>
        <translation>En clair :</translation>
    </message>
    <message>
        <location filename="../editor.py" line="301"/>
        <source>Next runs:</source>
        <translation>Prochaines exécutions :</translation>
    </message>
    <message>
        <location filename="../editor.py" line="304"/>
        <source>How</source>
        <translation>Comment</translation>
    </message>
    <message>
        <location filename="../editor.py" line="306"/>
        <source>&amp;Backend:</source>
        <translation>&amp;Planificateur :</translation>
    </message>
    <message>
        <location filename="../editor.py" line="308"/>
        <source>Runs:</source>
        <translation>Exécution :</translation>
    </message>
    <message>
        <location filename="../editor.py" line="442"/>
        <source> minute(s)</source>
        <translation> minute(s)</translation>
    </message>
    <message>
        <location filename="../editor.py" line="442"/>
        <source> hour(s)</source>
        <translation> heure(s)</translation>
    </message>
    <message>
        <location filename="../editor.py" line="539"/>
        <source>give the dedicated user&apos;s name</source>
        <translation>indiquez le nom de l&apos;utilisateur dédié</translation>
    </message>
    <message>
        <location filename="../editor.py" line="552"/>
        <source>Schedules are paused: Apply saves the schedule; its job is installed at Resume.</source>
        <translation>Les planifications sont suspendues : Appliquer enregistre la planification ; sa tâche sera installée à la reprise.</translation>
    </message>
    <message>
        <location filename="../editor.py" line="569"/>
        <source>(no valid schedule yet)</source>
        <translation>(pas encore de planification valide)</translation>
    </message>
    <message>
        <location filename="../editor.py" line="581"/>
        <source>{backend} cannot represent this schedule: {error}</source>
        <translation>{backend} ne peut pas représenter cette planification : {error}</translation>
    </message>
    <message>
        <location filename="../editor.py" line="601"/>
        <source>in sync</source>
        <translation>à jour</translation>
    </message>
    <message>
        <location filename="../editor.py" line="602"/>
        <source>drifted: the installed job differs from this schedule</source>
        <translation>divergente : la tâche installée diffère de cette planification</translation>
    </message>
    <message>
        <location filename="../editor.py" line="603"/>
        <source>missing: no job is installed for this schedule</source>
        <translation>absente : aucune tâche n&apos;est installée pour cette planification</translation>
    </message>
    <message>
        <location filename="../editor.py" line="604"/>
        <source>no schedule, no job</source>
        <translation>aucune planification, aucune tâche</translation>
    </message>
    <message>
        <location filename="../editor.py" line="606"/>
        <source>Installed job ({backend}): {state}</source>
        <translation>Tâche installée ({backend}) : {state}</translation>
    </message>
    <message>
        <location filename="../editor.py" line="610"/>
        <source>Saved schedule: {expr} — {words}</source>
        <translation>Planification enregistrée : {expr} — {words}</translation>
    </message>
    <message>
        <location filename="../editor.py" line="635"/>
        <source>Fix:</source>
        <translation>Solution :</translation>
    </message>
    <message>
        <location filename="../editor.py" line="639"/>
        <source>could not run the scheduler: {error}</source>
        <translation>impossible d&apos;exécuter le planificateur : {error}</translation>
    </message>
    <message>
        <location filename="../editor.py" line="663"/>
        <source>Saved: {words}.</source>
        <translation>Enregistré : {words}.</translation>
    </message>
    <message>
        <location filename="../editor.py" line="664"/>
        <source>The OS job is installed.</source>
        <translation>La tâche système est installée.</translation>
    </message>
    <message>
        <location filename="../editor.py" line="667"/>
        <source>warning: {text}</source>
        <translation>avertissement : {text}</translation>
    </message>
    <message>
        <location filename="../editor.py" line="679"/>
        <source>Schedule removed</source>
        <translation>Planification supprimée</translation>
    </message>
    <message>
        <location filename="../editor.py" line="681"/>
        <source>; its OS job was removed.</source>
        <translation> ; sa tâche système a été supprimée.</translation>
    </message>
    <message>
        <location filename="../editor.py" line="683"/>
        <source>; there was no OS job.</source>
        <translation> ; il n&apos;y avait pas de tâche système.</translation>
    </message>
    <message>
        <location filename="../editor.py" line="686"/>
        <source>Apply installs it again.</source>
        <translation>Appliquer la réinstalle.</translation>
    </message>
    <message>
        <location filename="../editor.py" line="697"/>
        <source>nothing to do</source>
        <translation>rien à faire</translation>
    </message>
    <message>
        <location filename="../editor.py" line="712"/>
        <source>Password of {user}</source>
        <translation>Mot de passe de {user}</translation>
    </message>
    <message>
        <location filename="../editor.py" line="713"/>
        <source>Windows password of {user}, for the scheduled task (not stored):</source>
        <translation>Mot de passe Windows de {user}, pour la tâche planifiée (non enregistré) :</translation>
    </message>
</context>
<context>
    <name>SecretsDialog</name>
    <message>
        <location filename="../dialogs.py" line="434"/>
        <source>Secrets of {name} — bwdc-tray</source>
        <translation>Secrets de {name} — bwdc-tray</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="435"/>
        <source>Secrets of {name}</source>
        <translation>Secrets de {name}</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="439"/>
        <source>Which secrets are stored</source>
        <translation>Secrets enregistrés</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="440"/>
        <source>API client_id</source>
        <translation>client_id de l&apos;API</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="442"/>
        <source>client_id error</source>
        <translation>Erreur de client_id</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="443"/>
        <source>API client_secret</source>
        <translation>client_secret de l&apos;API</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="444"/>
        <source>Directory secret (optional)</source>
        <translation>Secret de l&apos;annuaire (facultatif)</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="445"/>
        <source>empty: leave as it is</source>
        <translation>vide : laisser tel quel</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="446"/>
        <source>Error</source>
        <translation>Erreur</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="451"/>
        <source>Store the secrets in the keyring</source>
        <translation>Enregistrer les secrets dans le trousseau</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="453"/>
        <source>&amp;Delete stored secrets</source>
        <translation>&amp;Supprimer les secrets enregistrés</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="455"/>
        <source>Delete the stored secrets</source>
        <translation>Supprimer les secrets enregistrés</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="458"/>
        <source>API &amp;client_id:</source>
        <translation>&amp;client_id de l&apos;API :</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="460"/>
        <source>API client_&amp;secret:</source>
        <translation>client_&amp;secret de l&apos;API :</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="461"/>
        <source>Di&amp;rectory secret:</source>
        <translation>Secret de l&apos;&amp;annuaire :</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="464"/>
        <source>The directory secret is the LDAP bind password, the Entra ID key, the Google service key, the Okta token or the OneLogin secret.</source>
        <translation>Le secret de l&apos;annuaire est le mot de passe de liaison LDAP, la clé Entra ID, la clé de service Google, le jeton Okta ou le secret OneLogin.</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="506"/>
        <source>stored</source>
        <translation>enregistré</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="509"/>
        <source>not stored (optional)</source>
        <translation>non enregistré (facultatif)</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="511"/>
        <source>not stored</source>
        <translation>non enregistré</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="552"/>
        <source>stored {what} for {name} in the keyring</source>
        <translation>{what} de {name} enregistré(s) dans le trousseau</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="568"/>
        <source>{count} keyring entries deleted.</source>
        <translation>{count} entrée(s) du trousseau supprimée(s).</translation>
    </message>
</context>
<context>
    <name>State</name>
    <message>
        <location filename="../icons.py" line="23"/>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../icons.py" line="24"/>
        <source>Running</source>
        <translation>En cours</translation>
    </message>
    <message>
        <location filename="../icons.py" line="25"/>
        <source>Failed</source>
        <translation>Échec</translation>
    </message>
    <message>
        <location filename="../icons.py" line="26"/>
        <source>Timed out</source>
        <translation>Délai dépassé</translation>
    </message>
    <message>
        <location filename="../icons.py" line="27"/>
        <source>Never synced</source>
        <translation>Jamais synchronisé</translation>
    </message>
    <message>
        <location filename="../icons.py" line="28"/>
        <source>Paused</source>
        <translation>Suspendu</translation>
    </message>
    <message>
        <location filename="../icons.py" line="29"/>
        <source>Unknown</source>
        <translation>Inconnu</translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <location filename="../tray.py" line="100"/>
        <source>bwdc-tray menu</source>
        <translation>Menu de bwdc-tray</translation>
    </message>
    <message>
        <location filename="../tray.py" line="149"/>
        <source>at an unknown time</source>
        <translation>à une heure inconnue</translation>
    </message>
    <message>
        <location filename="../tray.py" line="152"/>
        <source>just now</source>
        <translation>à l&apos;instant</translation>
    </message>
    <message numerus="yes">
        <location filename="../tray.py" line="155"/>
        <source>%n min ago</source>
        <translation>
            <numerusform>il y a %n min</numerusform>
            <numerusform>il y a %n min</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../tray.py" line="158"/>
        <source>%n h ago</source>
        <translation>
            <numerusform>il y a %n h</numerusform>
            <numerusform>il y a %n h</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../tray.py" line="159"/>
        <source>%n days ago</source>
        <translation>
            <numerusform>il y a %n jour</numerusform>
            <numerusform>il y a %n jours</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../tray.py" line="182"/>
        <source>running…</source>
        <translation>en cours…</translation>
    </message>
    <message>
        <location filename="../tray.py" line="186"/>
        <source>status unknown</source>
        <translation>état inconnu</translation>
    </message>
    <message>
        <location filename="../tray.py" line="187"/>
        <source>never synced</source>
        <translation>jamais synchronisé</translation>
    </message>
    <message>
        <location filename="../tray.py" line="191"/>
        <source>synced {ago}</source>
        <translation>synchronisé {ago}</translation>
    </message>
    <message numerus="yes">
        <location filename="../tray.py" line="193"/>
        <source>%n groups</source>
        <translation>
            <numerusform>%n groupe</numerusform>
            <numerusform>%n groupes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../tray.py" line="195"/>
        <source>%n users</source>
        <translation>
            <numerusform>%n utilisateur</numerusform>
            <numerusform>%n utilisateurs</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../tray.py" line="198"/>
        <source>timed out {ago}</source>
        <translation>délai dépassé {ago}</translation>
    </message>
    <message>
        <location filename="../tray.py" line="201"/>
        <source>failed {ago}: {message}</source>
        <translation>échec {ago} : {message}</translation>
    </message>
    <message>
        <location filename="../tray.py" line="202"/>
        <source>failed {ago}</source>
        <translation>échec {ago}</translation>
    </message>
    <message>
        <location filename="../tray.py" line="206"/>
        <source>paused</source>
        <translation>suspendu</translation>
    </message>
    <message>
        <location filename="../tray.py" line="208"/>
        <source>not scheduled</source>
        <translation>non planifié</translation>
    </message>
    <message>
        <location filename="../tray.py" line="215"/>
        <source>bwdc-tray: no instances yet</source>
        <translation>bwdc-tray : aucune instance pour l&apos;instant</translation>
    </message>
    <message>
        <location filename="../tray.py" line="220"/>
        <source>All schedules are paused</source>
        <translation>Toutes les planifications sont suspendues</translation>
    </message>
    <message>
        <location filename="../tray.py" line="227"/>
        <source>next run {when}</source>
        <translation>prochaine exécution {when}</translation>
    </message>
    <message numerus="yes">
        <location filename="../tray.py" line="232"/>
        <source>…and %n more</source>
        <translation>
            <numerusform>…et %n autre</numerusform>
            <numerusform>…et %n autres</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../tray.py" line="290"/>
        <source>Sync now</source>
        <translation>Synchroniser maintenant</translation>
    </message>
    <message>
        <location filename="../tray.py" line="296"/>
        <source>Sync {name} now</source>
        <translation>Synchroniser {name} maintenant</translation>
    </message>
    <message>
        <location filename="../tray.py" line="303"/>
        <source>All instances</source>
        <translation>Toutes les instances</translation>
    </message>
    <message>
        <location filename="../tray.py" line="305"/>
        <source>Sync every instance now</source>
        <translation>Synchroniser toutes les instances maintenant</translation>
    </message>
    <message numerus="yes">
        <location filename="../tray.py" line="315"/>
        <source>…and %n more (see Instances…)</source>
        <translation>
            <numerusform>…et %n autre (voir Instances…)</numerusform>
            <numerusform>…et %n autres (voir Instances…)</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../tray.py" line="321"/>
        <source>Instances…</source>
        <translation>Instances…</translation>
    </message>
    <message>
        <location filename="../tray.py" line="323"/>
        <source>Open the window with every instance</source>
        <translation>Ouvrir la fenêtre listant toutes les instances</translation>
    </message>
    <message>
        <location filename="../tray.py" line="328"/>
        <source>Resume all schedules</source>
        <translation>Reprendre toutes les planifications</translation>
    </message>
    <message>
        <location filename="../tray.py" line="330"/>
        <source>Install the scheduled jobs again</source>
        <translation>Réinstaller les tâches planifiées</translation>
    </message>
    <message>
        <location filename="../tray.py" line="335"/>
        <source>Pause all schedules</source>
        <translation>Suspendre toutes les planifications</translation>
    </message>
    <message>
        <location filename="../tray.py" line="337"/>
        <source>Remove the scheduled jobs and keep the schedules</source>
        <translation>Supprimer les tâches planifiées en conservant les planifications</translation>
    </message>
    <message>
        <location filename="../tray.py" line="347"/>
        <source>Quit</source>
        <translation>Quitter</translation>
    </message>
    <message>
        <location filename="../tray.py" line="349"/>
        <source>Close the tray; runs already started go on</source>
        <translation>Fermer l&apos;icône de notification ; les exécutions déjà lancées continuent</translation>
    </message>
    <message>
        <location filename="../tray.py" line="359"/>
        <source>Last run: {result}</source>
        <translation>Dernière exécution : {result}</translation>
    </message>
    <message>
        <location filename="../tray.py" line="361"/>
        <source>Next run: {when}</source>
        <translation>Prochaine exécution : {when}</translation>
    </message>
    <message>
        <location filename="../tray.py" line="364"/>
        <source>Problem: {problem}</source>
        <translation>Problème : {problem}</translation>
    </message>
    <message>
        <location filename="../tray.py" line="368"/>
        <source>Open log</source>
        <translation>Ouvrir le journal</translation>
    </message>
    <message>
        <location filename="../tray.py" line="370"/>
        <source>Open the log of {name}</source>
        <translation>Ouvrir le journal de {name}</translation>
    </message>
    <message>
        <location filename="../tray.py" line="375"/>
        <source>Edit schedule…</source>
        <translation>Modifier la planification…</translation>
    </message>
    <message>
        <location filename="../tray.py" line="377"/>
        <source>Edit the schedule of {name}</source>
        <translation>Modifier la planification de {name}</translation>
    </message>
</context>
</TS>
