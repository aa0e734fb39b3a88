# Automatically generated from ui/settings.ui by packaging/compile_forms.py - do not edit.
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'settings.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QCheckBox, QComboBox,
    QDialog, QFormLayout, QGroupBox, QHBoxLayout,
    QHeaderView, QLabel, QLineEdit, QPlainTextEdit,
    QPushButton, QSizePolicy, QSpacerItem, QSpinBox,
    QTabWidget, QTableWidget, QTableWidgetItem, QVBoxLayout,
    QWidget)

class Ui_SettingsDialog(object):
    def setupUi(self, SettingsDialog):
        if not SettingsDialog.objectName():
            SettingsDialog.setObjectName(u"SettingsDialog")
        SettingsDialog.resize(820, 640)
        SettingsDialog.setModal(True)
        self.mainLayout = QVBoxLayout(SettingsDialog)
        self.mainLayout.setSpacing(12)
        self.mainLayout.setObjectName(u"mainLayout")
        self.mainLayout.setContentsMargins(16, 16, 16, 16)
        self.tabs = QTabWidget(SettingsDialog)
        self.tabs.setObjectName(u"tabs")
        self.termsPage = QWidget()
        self.termsPage.setObjectName(u"termsPage")
        self.termsPageLayout = QVBoxLayout(self.termsPage)
        self.termsPageLayout.setSpacing(14)
        self.termsPageLayout.setObjectName(u"termsPageLayout")
        self.termsPageLayout.setContentsMargins(20, 20, 20, 20)
        self.termsHintLabel = QLabel(self.termsPage)
        self.termsHintLabel.setObjectName(u"termsHintLabel")
        self.termsHintLabel.setWordWrap(True)

        self.termsPageLayout.addWidget(self.termsHintLabel)

        self.termsForm = QFormLayout()
        self.termsForm.setObjectName(u"termsForm")
        self.termsForm.setHorizontalSpacing(16)
        self.termsForm.setVerticalSpacing(12)
        self.eventNameLabel = QLabel(self.termsPage)
        self.eventNameLabel.setObjectName(u"eventNameLabel")

        self.termsForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.eventNameLabel)

        self.eventNameValue = QLabel(self.termsPage)
        self.eventNameValue.setObjectName(u"eventNameValue")

        self.termsForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.eventNameValue)

        self.currencyLabel = QLabel(self.termsPage)
        self.currencyLabel.setObjectName(u"currencyLabel")

        self.termsForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.currencyLabel)

        self.currencyValue = QLabel(self.termsPage)
        self.currencyValue.setObjectName(u"currencyValue")

        self.termsForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.currencyValue)

        self.taxNameLabel = QLabel(self.termsPage)
        self.taxNameLabel.setObjectName(u"taxNameLabel")

        self.termsForm.setWidget(2, QFormLayout.ItemRole.LabelRole, self.taxNameLabel)

        self.taxNameEdit = QLineEdit(self.termsPage)
        self.taxNameEdit.setObjectName(u"taxNameEdit")
        self.taxNameEdit.setMinimumSize(QSize(0, 44))

        self.termsForm.setWidget(2, QFormLayout.ItemRole.FieldRole, self.taxNameEdit)

        self.taxRateLabel = QLabel(self.termsPage)
        self.taxRateLabel.setObjectName(u"taxRateLabel")

        self.termsForm.setWidget(3, QFormLayout.ItemRole.LabelRole, self.taxRateLabel)

        self.taxRateLayout = QHBoxLayout()
        self.taxRateLayout.setSpacing(12)
        self.taxRateLayout.setObjectName(u"taxRateLayout")
        self.taxRateEdit = QLineEdit(self.termsPage)
        self.taxRateEdit.setObjectName(u"taxRateEdit")
        self.taxRateEdit.setMinimumSize(QSize(0, 44))
        self.taxRateEdit.setMaximumSize(QSize(160, 16777215))

        self.taxRateLayout.addWidget(self.taxRateEdit)

        self.taxInclusiveCheck = QCheckBox(self.termsPage)
        self.taxInclusiveCheck.setObjectName(u"taxInclusiveCheck")
        self.taxInclusiveCheck.setMinimumSize(QSize(0, 40))

        self.taxRateLayout.addWidget(self.taxInclusiveCheck)

        self.taxRateSpacer = QSpacerItem(40, 20, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.taxRateLayout.addItem(self.taxRateSpacer)


        self.termsForm.setLayout(3, QFormLayout.ItemRole.FieldRole, self.taxRateLayout)

        self.taxHintLabel = QLabel(self.termsPage)
        self.taxHintLabel.setObjectName(u"taxHintLabel")
        self.taxHintLabel.setWordWrap(True)

        self.termsForm.setWidget(4, QFormLayout.ItemRole.FieldRole, self.taxHintLabel)

        self.tipsEnabledCheck = QCheckBox(self.termsPage)
        self.tipsEnabledCheck.setObjectName(u"tipsEnabledCheck")
        self.tipsEnabledCheck.setMinimumSize(QSize(0, 40))

        self.termsForm.setWidget(5, QFormLayout.ItemRole.FieldRole, self.tipsEnabledCheck)

        self.tipPresetsLabel = QLabel(self.termsPage)
        self.tipPresetsLabel.setObjectName(u"tipPresetsLabel")

        self.termsForm.setWidget(6, QFormLayout.ItemRole.LabelRole, self.tipPresetsLabel)

        self.tipPresetsLayout = QHBoxLayout()
        self.tipPresetsLayout.setSpacing(12)
        self.tipPresetsLayout.setObjectName(u"tipPresetsLayout")
        self.tip1Edit = QLineEdit(self.termsPage)
        self.tip1Edit.setObjectName(u"tip1Edit")
        self.tip1Edit.setMinimumSize(QSize(0, 44))
        self.tip1Edit.setMaximumSize(QSize(110, 16777215))
        self.tip1Edit.setAlignment(Qt.AlignmentFlag.AlignRight|Qt.AlignmentFlag.AlignVCenter)

        self.tipPresetsLayout.addWidget(self.tip1Edit)

        self.tip2Edit = QLineEdit(self.termsPage)
        self.tip2Edit.setObjectName(u"tip2Edit")
        self.tip2Edit.setMinimumSize(QSize(0, 44))
        self.tip2Edit.setMaximumSize(QSize(110, 16777215))
        self.tip2Edit.setAlignment(Qt.AlignmentFlag.AlignRight|Qt.AlignmentFlag.AlignVCenter)

        self.tipPresetsLayout.addWidget(self.tip2Edit)

        self.tip3Edit = QLineEdit(self.termsPage)
        self.tip3Edit.setObjectName(u"tip3Edit")
        self.tip3Edit.setMinimumSize(QSize(0, 44))
        self.tip3Edit.setMaximumSize(QSize(110, 16777215))
        self.tip3Edit.setAlignment(Qt.AlignmentFlag.AlignRight|Qt.AlignmentFlag.AlignVCenter)

        self.tipPresetsLayout.addWidget(self.tip3Edit)

        self.tipPresetsSpacer = QSpacerItem(40, 20, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.tipPresetsLayout.addItem(self.tipPresetsSpacer)


        self.termsForm.setLayout(6, QFormLayout.ItemRole.FieldRole, self.tipPresetsLayout)


        self.termsPageLayout.addLayout(self.termsForm)

        self.termsSpacer = QSpacerItem(20, 40, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.termsPageLayout.addItem(self.termsSpacer)

        self.tabs.addTab(self.termsPage, "")
        self.walletsPage = QWidget()
        self.walletsPage.setObjectName(u"walletsPage")
        self.walletsPageLayout = QVBoxLayout(self.walletsPage)
        self.walletsPageLayout.setSpacing(14)
        self.walletsPageLayout.setObjectName(u"walletsPageLayout")
        self.walletsPageLayout.setContentsMargins(20, 20, 20, 20)
        self.walletsHintLabel = QLabel(self.walletsPage)
        self.walletsHintLabel.setObjectName(u"walletsHintLabel")
        self.walletsHintLabel.setWordWrap(True)

        self.walletsPageLayout.addWidget(self.walletsHintLabel)

        self.walletsForm = QFormLayout()
        self.walletsForm.setObjectName(u"walletsForm")
        self.walletsForm.setHorizontalSpacing(16)
        self.walletsForm.setVerticalSpacing(12)
        self.venmoLabel = QLabel(self.walletsPage)
        self.venmoLabel.setObjectName(u"venmoLabel")

        self.walletsForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.venmoLabel)

        self.venmoEdit = QLineEdit(self.walletsPage)
        self.venmoEdit.setObjectName(u"venmoEdit")
        self.venmoEdit.setMinimumSize(QSize(0, 44))

        self.walletsForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.venmoEdit)

        self.cashappLabel = QLabel(self.walletsPage)
        self.cashappLabel.setObjectName(u"cashappLabel")

        self.walletsForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.cashappLabel)

        self.cashappEdit = QLineEdit(self.walletsPage)
        self.cashappEdit.setObjectName(u"cashappEdit")
        self.cashappEdit.setMinimumSize(QSize(0, 44))

        self.walletsForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.cashappEdit)

        self.paypalLabel = QLabel(self.walletsPage)
        self.paypalLabel.setObjectName(u"paypalLabel")

        self.walletsForm.setWidget(2, QFormLayout.ItemRole.LabelRole, self.paypalLabel)

        self.paypalEdit = QLineEdit(self.walletsPage)
        self.paypalEdit.setObjectName(u"paypalEdit")
        self.paypalEdit.setMinimumSize(QSize(0, 44))

        self.walletsForm.setWidget(2, QFormLayout.ItemRole.FieldRole, self.paypalEdit)


        self.walletsPageLayout.addLayout(self.walletsForm)

        self.walletsSpacer = QSpacerItem(20, 40, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.walletsPageLayout.addItem(self.walletsSpacer)

        self.tabs.addTab(self.walletsPage, "")
        self.staffPage = QWidget()
        self.staffPage.setObjectName(u"staffPage")
        self.staffPageLayout = QVBoxLayout(self.staffPage)
        self.staffPageLayout.setSpacing(14)
        self.staffPageLayout.setObjectName(u"staffPageLayout")
        self.staffPageLayout.setContentsMargins(20, 20, 20, 20)
        self.staffTable = QTableWidget(self.staffPage)
        if (self.staffTable.columnCount() < 3):
            self.staffTable.setColumnCount(3)
        __qtablewidgetitem = QTableWidgetItem()
        self.staffTable.setHorizontalHeaderItem(0, __qtablewidgetitem)
        __qtablewidgetitem1 = QTableWidgetItem()
        self.staffTable.setHorizontalHeaderItem(1, __qtablewidgetitem1)
        __qtablewidgetitem2 = QTableWidgetItem()
        self.staffTable.setHorizontalHeaderItem(2, __qtablewidgetitem2)
        self.staffTable.setObjectName(u"staffTable")
        self.staffTable.setMinimumSize(QSize(0, 200))
        self.staffTable.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.staffTable.setAlternatingRowColors(True)
        self.staffTable.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.staffTable.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.staffTable.setColumnCount(3)
        self.staffTable.horizontalHeader().setStretchLastSection(True)
        self.staffTable.verticalHeader().setVisible(False)
        self.staffTable.verticalHeader().setDefaultSectionSize(40)

        self.staffPageLayout.addWidget(self.staffTable)

        self.staffEditGroup = QGroupBox(self.staffPage)
        self.staffEditGroup.setObjectName(u"staffEditGroup")
        self.staffEditForm = QFormLayout(self.staffEditGroup)
        self.staffEditForm.setObjectName(u"staffEditForm")
        self.staffEditForm.setHorizontalSpacing(16)
        self.staffEditForm.setVerticalSpacing(12)
        self.staffNameLabel = QLabel(self.staffEditGroup)
        self.staffNameLabel.setObjectName(u"staffNameLabel")

        self.staffEditForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.staffNameLabel)

        self.staffNameEdit = QLineEdit(self.staffEditGroup)
        self.staffNameEdit.setObjectName(u"staffNameEdit")
        self.staffNameEdit.setMinimumSize(QSize(0, 44))
        self.staffNameEdit.setMaxLength(100)

        self.staffEditForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.staffNameEdit)

        self.staffRoleLabel = QLabel(self.staffEditGroup)
        self.staffRoleLabel.setObjectName(u"staffRoleLabel")

        self.staffEditForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.staffRoleLabel)

        self.staffRoleCombo = QComboBox(self.staffEditGroup)
        self.staffRoleCombo.addItem("")
        self.staffRoleCombo.addItem("")
        self.staffRoleCombo.addItem("")
        self.staffRoleCombo.setObjectName(u"staffRoleCombo")
        self.staffRoleCombo.setMinimumSize(QSize(0, 44))

        self.staffEditForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.staffRoleCombo)

        self.staffPinLabel = QLabel(self.staffEditGroup)
        self.staffPinLabel.setObjectName(u"staffPinLabel")

        self.staffEditForm.setWidget(2, QFormLayout.ItemRole.LabelRole, self.staffPinLabel)

        self.staffPinEdit = QLineEdit(self.staffEditGroup)
        self.staffPinEdit.setObjectName(u"staffPinEdit")
        self.staffPinEdit.setMinimumSize(QSize(0, 44))
        self.staffPinEdit.setMaxLength(8)
        self.staffPinEdit.setEchoMode(QLineEdit.EchoMode.Password)

        self.staffEditForm.setWidget(2, QFormLayout.ItemRole.FieldRole, self.staffPinEdit)

        self.staffButtonLayout = QHBoxLayout()
        self.staffButtonLayout.setSpacing(12)
        self.staffButtonLayout.setObjectName(u"staffButtonLayout")
        self.addStaffButton = QPushButton(self.staffEditGroup)
        self.addStaffButton.setObjectName(u"addStaffButton")
        self.addStaffButton.setMinimumSize(QSize(120, 48))
        self.addStaffButton.setAutoDefault(False)

        self.staffButtonLayout.addWidget(self.addStaffButton)

        self.changePinButton = QPushButton(self.staffEditGroup)
        self.changePinButton.setObjectName(u"changePinButton")
        self.changePinButton.setMinimumSize(QSize(160, 48))
        self.changePinButton.setAutoDefault(False)

        self.staffButtonLayout.addWidget(self.changePinButton)

        self.deactivateButton = QPushButton(self.staffEditGroup)
        self.deactivateButton.setObjectName(u"deactivateButton")
        self.deactivateButton.setMinimumSize(QSize(120, 48))
        self.deactivateButton.setAutoDefault(False)

        self.staffButtonLayout.addWidget(self.deactivateButton)

        self.staffButtonSpacer = QSpacerItem(40, 20, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.staffButtonLayout.addItem(self.staffButtonSpacer)


        self.staffEditForm.setLayout(3, QFormLayout.ItemRole.FieldRole, self.staffButtonLayout)


        self.staffPageLayout.addWidget(self.staffEditGroup)

        self.tabs.addTab(self.staffPage, "")
        self.printingPage = QWidget()
        self.printingPage.setObjectName(u"printingPage")
        self.printingPageLayout = QVBoxLayout(self.printingPage)
        self.printingPageLayout.setSpacing(14)
        self.printingPageLayout.setObjectName(u"printingPageLayout")
        self.printingPageLayout.setContentsMargins(20, 20, 20, 20)
        self.printingForm = QFormLayout()
        self.printingForm.setObjectName(u"printingForm")
        self.printingForm.setHorizontalSpacing(16)
        self.printingForm.setVerticalSpacing(12)
        self.labelTemplateLabel = QLabel(self.printingPage)
        self.labelTemplateLabel.setObjectName(u"labelTemplateLabel")

        self.printingForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.labelTemplateLabel)

        self.labelTemplateCombo = QComboBox(self.printingPage)
        self.labelTemplateCombo.addItem("")
        self.labelTemplateCombo.addItem("")
        self.labelTemplateCombo.addItem("")
        self.labelTemplateCombo.addItem("")
        self.labelTemplateCombo.addItem("")
        self.labelTemplateCombo.addItem("")
        self.labelTemplateCombo.setObjectName(u"labelTemplateCombo")
        self.labelTemplateCombo.setMinimumSize(QSize(0, 44))

        self.printingForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.labelTemplateCombo)

        self.receiptWidthLabel = QLabel(self.printingPage)
        self.receiptWidthLabel.setObjectName(u"receiptWidthLabel")

        self.printingForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.receiptWidthLabel)

        self.receiptWidthCombo = QComboBox(self.printingPage)
        self.receiptWidthCombo.addItem("")
        self.receiptWidthCombo.addItem("")
        self.receiptWidthCombo.setObjectName(u"receiptWidthCombo")
        self.receiptWidthCombo.setMinimumSize(QSize(0, 44))

        self.printingForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.receiptWidthCombo)

        self.receiptFooterLabel = QLabel(self.printingPage)
        self.receiptFooterLabel.setObjectName(u"receiptFooterLabel")

        self.printingForm.setWidget(2, QFormLayout.ItemRole.LabelRole, self.receiptFooterLabel)

        self.receiptFooterEdit = QPlainTextEdit(self.printingPage)
        self.receiptFooterEdit.setObjectName(u"receiptFooterEdit")
        self.receiptFooterEdit.setMaximumSize(QSize(16777215, 110))
        self.receiptFooterEdit.setTabChangesFocus(True)

        self.printingForm.setWidget(2, QFormLayout.ItemRole.FieldRole, self.receiptFooterEdit)


        self.printingPageLayout.addLayout(self.printingForm)

        self.printingSpacer = QSpacerItem(20, 40, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.printingPageLayout.addItem(self.printingSpacer)

        self.tabs.addTab(self.printingPage, "")
        self.dataPage = QWidget()
        self.dataPage.setObjectName(u"dataPage")
        self.dataPageLayout = QVBoxLayout(self.dataPage)
        self.dataPageLayout.setSpacing(14)
        self.dataPageLayout.setObjectName(u"dataPageLayout")
        self.dataPageLayout.setContentsMargins(20, 20, 20, 20)
        self.dataForm = QFormLayout()
        self.dataForm.setObjectName(u"dataForm")
        self.dataForm.setHorizontalSpacing(16)
        self.dataForm.setVerticalSpacing(12)
        self.dataFolderLabel = QLabel(self.dataPage)
        self.dataFolderLabel.setObjectName(u"dataFolderLabel")

        self.dataForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.dataFolderLabel)

        self.dataFolderLayout = QHBoxLayout()
        self.dataFolderLayout.setSpacing(12)
        self.dataFolderLayout.setObjectName(u"dataFolderLayout")
        self.dataFolderEdit = QLineEdit(self.dataPage)
        self.dataFolderEdit.setObjectName(u"dataFolderEdit")
        self.dataFolderEdit.setMinimumSize(QSize(0, 44))
        self.dataFolderEdit.setReadOnly(True)

        self.dataFolderLayout.addWidget(self.dataFolderEdit)

        self.openFolderButton = QPushButton(self.dataPage)
        self.openFolderButton.setObjectName(u"openFolderButton")
        self.openFolderButton.setMinimumSize(QSize(150, 48))
        self.openFolderButton.setAutoDefault(False)

        self.dataFolderLayout.addWidget(self.openFolderButton)


        self.dataForm.setLayout(0, QFormLayout.ItemRole.FieldRole, self.dataFolderLayout)

        self.backupFolderLabel = QLabel(self.dataPage)
        self.backupFolderLabel.setObjectName(u"backupFolderLabel")

        self.dataForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.backupFolderLabel)

        self.backupFolderLayout = QHBoxLayout()
        self.backupFolderLayout.setSpacing(12)
        self.backupFolderLayout.setObjectName(u"backupFolderLayout")
        self.backupFolderEdit = QLineEdit(self.dataPage)
        self.backupFolderEdit.setObjectName(u"backupFolderEdit")
        self.backupFolderEdit.setMinimumSize(QSize(0, 44))

        self.backupFolderLayout.addWidget(self.backupFolderEdit)

        self.chooseBackupFolderButton = QPushButton(self.dataPage)
        self.chooseBackupFolderButton.setObjectName(u"chooseBackupFolderButton")
        self.chooseBackupFolderButton.setMinimumSize(QSize(150, 48))
        self.chooseBackupFolderButton.setAutoDefault(False)

        self.backupFolderLayout.addWidget(self.chooseBackupFolderButton)


        self.dataForm.setLayout(1, QFormLayout.ItemRole.FieldRole, self.backupFolderLayout)

        self.backupEveryLabel = QLabel(self.dataPage)
        self.backupEveryLabel.setObjectName(u"backupEveryLabel")

        self.dataForm.setWidget(2, QFormLayout.ItemRole.LabelRole, self.backupEveryLabel)

        self.backupEveryLayout = QHBoxLayout()
        self.backupEveryLayout.setSpacing(12)
        self.backupEveryLayout.setObjectName(u"backupEveryLayout")
        self.backupEverySpin = QSpinBox(self.dataPage)
        self.backupEverySpin.setObjectName(u"backupEverySpin")
        self.backupEverySpin.setMinimumSize(QSize(140, 44))
        self.backupEverySpin.setMinimum(1)
        self.backupEverySpin.setMaximum(240)
        self.backupEverySpin.setValue(5)

        self.backupEveryLayout.addWidget(self.backupEverySpin)

        self.backupEverySpacer = QSpacerItem(40, 20, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.backupEveryLayout.addItem(self.backupEverySpacer)


        self.dataForm.setLayout(2, QFormLayout.ItemRole.FieldRole, self.backupEveryLayout)

        self.backupNowLayout = QHBoxLayout()
        self.backupNowLayout.setSpacing(12)
        self.backupNowLayout.setObjectName(u"backupNowLayout")
        self.backupNowButton = QPushButton(self.dataPage)
        self.backupNowButton.setObjectName(u"backupNowButton")
        self.backupNowButton.setMinimumSize(QSize(180, 52))
        self.backupNowButton.setAutoDefault(False)

        self.backupNowLayout.addWidget(self.backupNowButton)

        self.backupNowSpacer = QSpacerItem(40, 20, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.backupNowLayout.addItem(self.backupNowSpacer)


        self.dataForm.setLayout(3, QFormLayout.ItemRole.FieldRole, self.backupNowLayout)

        self.backupStatusLabel = QLabel(self.dataPage)
        self.backupStatusLabel.setObjectName(u"backupStatusLabel")
        self.backupStatusLabel.setWordWrap(True)

        self.dataForm.setWidget(4, QFormLayout.ItemRole.FieldRole, self.backupStatusLabel)


        self.dataPageLayout.addLayout(self.dataForm)

        self.dataSpacer = QSpacerItem(20, 40, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.dataPageLayout.addItem(self.dataSpacer)

        self.tabs.addTab(self.dataPage, "")

        self.mainLayout.addWidget(self.tabs)

        self.buttonLayout = QHBoxLayout()
        self.buttonLayout.setSpacing(12)
        self.buttonLayout.setObjectName(u"buttonLayout")
        self.notice = QLabel(SettingsDialog)
        self.notice.setObjectName(u"notice")
        sizePolicy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        sizePolicy.setHorizontalStretch(1)
        sizePolicy.setVerticalStretch(0)
        sizePolicy.setHeightForWidth(self.notice.sizePolicy().hasHeightForWidth())
        self.notice.setSizePolicy(sizePolicy)

        self.buttonLayout.addWidget(self.notice)

        self.closeButton = QPushButton(SettingsDialog)
        self.closeButton.setObjectName(u"closeButton")
        self.closeButton.setMinimumSize(QSize(120, 56))
        self.closeButton.setAutoDefault(False)

        self.buttonLayout.addWidget(self.closeButton)

        self.saveButton = QPushButton(SettingsDialog)
        self.saveButton.setObjectName(u"saveButton")
        self.saveButton.setMinimumSize(QSize(160, 56))
        self.saveButton.setAutoDefault(False)

        self.buttonLayout.addWidget(self.saveButton)


        self.mainLayout.addLayout(self.buttonLayout)

#if QT_CONFIG(shortcut)
        self.taxNameLabel.setBuddy(self.taxNameEdit)
        self.taxRateLabel.setBuddy(self.taxRateEdit)
        self.tipPresetsLabel.setBuddy(self.tip1Edit)
        self.venmoLabel.setBuddy(self.venmoEdit)
        self.cashappLabel.setBuddy(self.cashappEdit)
        self.paypalLabel.setBuddy(self.paypalEdit)
        self.staffNameLabel.setBuddy(self.staffNameEdit)
        self.staffRoleLabel.setBuddy(self.staffRoleCombo)
        self.staffPinLabel.setBuddy(self.staffPinEdit)
        self.labelTemplateLabel.setBuddy(self.labelTemplateCombo)
        self.receiptWidthLabel.setBuddy(self.receiptWidthCombo)
        self.receiptFooterLabel.setBuddy(self.receiptFooterEdit)
        self.backupFolderLabel.setBuddy(self.backupFolderEdit)
        self.backupEveryLabel.setBuddy(self.backupEverySpin)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(SettingsDialog)

        self.tabs.setCurrentIndex(0)
        self.saveButton.setDefault(True)

    # setupUi

    def retranslateUi(self, SettingsDialog):
        SettingsDialog.setWindowTitle(QCoreApplication.translate("SettingsDialog", u"Settings", None))
        self.termsHintLabel.setText(QCoreApplication.translate("SettingsDialog", u"These apply to the open event from its next sale.", None))
        self.eventNameLabel.setText(QCoreApplication.translate("SettingsDialog", u"Event", None))
        self.eventNameValue.setText("")
        self.currencyLabel.setText(QCoreApplication.translate("SettingsDialog", u"Currency", None))
        self.currencyValue.setText("")
        self.taxNameLabel.setText(QCoreApplication.translate("SettingsDialog", u"Default &tax", None))
        self.taxNameEdit.setPlaceholderText(QCoreApplication.translate("SettingsDialog", u"name, e.g. Sales tax", None))
        self.taxRateLabel.setText(QCoreApplication.translate("SettingsDialog", u"Tax &rate (%)", None))
        self.taxRateEdit.setPlaceholderText(QCoreApplication.translate("SettingsDialog", u"e.g. 8.875", None))
        self.taxInclusiveCheck.setText(QCoreApplication.translate("SettingsDialog", u"Already &included in prices", None))
        self.taxHintLabel.setText(QCoreApplication.translate("SettingsDialog", u"Used for items with no tax class of their own. Leave the rate blank for no tax.", None))
        self.tipsEnabledCheck.setText(QCoreApplication.translate("SettingsDialog", u"Offer tip &buttons at checkout", None))
        self.tipPresetsLabel.setText(QCoreApplication.translate("SettingsDialog", u"Tip &presets (%)", None))
        self.tip1Edit.setPlaceholderText(QCoreApplication.translate("SettingsDialog", u"10", None))
        self.tip2Edit.setPlaceholderText(QCoreApplication.translate("SettingsDialog", u"15", None))
        self.tip3Edit.setPlaceholderText(QCoreApplication.translate("SettingsDialog", u"20", None))
        self.tabs.setTabText(self.tabs.indexOf(self.termsPage), QCoreApplication.translate("SettingsDialog", u"Event terms", None))
        self.walletsHintLabel.setText(QCoreApplication.translate("SettingsDialog", u"Customers scan a QR code that opens your wallet with the amount and order number filled in. Leave a wallet blank to hide it.", None))
        self.venmoLabel.setText(QCoreApplication.translate("SettingsDialog", u"&Venmo", None))
        self.venmoEdit.setPlaceholderText(QCoreApplication.translate("SettingsDialog", u"@your-venmo-name", None))
        self.cashappLabel.setText(QCoreApplication.translate("SettingsDialog", u"Cash &App", None))
        self.cashappEdit.setPlaceholderText(QCoreApplication.translate("SettingsDialog", u"$YourCashtag", None))
        self.paypalLabel.setText(QCoreApplication.translate("SettingsDialog", u"Pay&Pal", None))
        self.paypalEdit.setPlaceholderText(QCoreApplication.translate("SettingsDialog", u"your paypal.me name", None))
        self.tabs.setTabText(self.tabs.indexOf(self.walletsPage), QCoreApplication.translate("SettingsDialog", u"Wallets", None))
        ___qtablewidgetitem = self.staffTable.horizontalHeaderItem(0)
        ___qtablewidgetitem.setText(QCoreApplication.translate("SettingsDialog", u"Name", None))
        ___qtablewidgetitem1 = self.staffTable.horizontalHeaderItem(1)
        ___qtablewidgetitem1.setText(QCoreApplication.translate("SettingsDialog", u"Role", None))
        ___qtablewidgetitem2 = self.staffTable.horizontalHeaderItem(2)
        ___qtablewidgetitem2.setText(QCoreApplication.translate("SettingsDialog", u"PIN works", None))
        self.staffEditGroup.setTitle(QCoreApplication.translate("SettingsDialog", u"Add someone, or change the selected person's PIN", None))
        self.staffNameLabel.setText(QCoreApplication.translate("SettingsDialog", u"N&ame", None))
        self.staffNameEdit.setPlaceholderText(QCoreApplication.translate("SettingsDialog", u"e.g. Alex", None))
        self.staffRoleLabel.setText(QCoreApplication.translate("SettingsDialog", u"R&ole", None))
        self.staffRoleCombo.setItemText(0, QCoreApplication.translate("SettingsDialog", u"Helper \u2014 this event only", None))
        self.staffRoleCombo.setItemText(1, QCoreApplication.translate("SettingsDialog", u"Seller", None))
        self.staffRoleCombo.setItemText(2, QCoreApplication.translate("SettingsDialog", u"Organizer", None))

        self.staffPinLabel.setText(QCoreApplication.translate("SettingsDialog", u"P&IN", None))
        self.staffPinEdit.setPlaceholderText(QCoreApplication.translate("SettingsDialog", u"4 to 8 digits, different from everyone else's", None))
        self.addStaffButton.setText(QCoreApplication.translate("SettingsDialog", u"Add", None))
#if QT_CONFIG(tooltip)
        self.changePinButton.setToolTip(QCoreApplication.translate("SettingsDialog", u"Give the selected person the PIN typed above", None))
#endif // QT_CONFIG(tooltip)
        self.changePinButton.setText(QCoreApplication.translate("SettingsDialog", u"Change PIN", None))
#if QT_CONFIG(tooltip)
        self.deactivateButton.setToolTip(QCoreApplication.translate("SettingsDialog", u"The selected person's PIN stops working", None))
#endif // QT_CONFIG(tooltip)
        self.deactivateButton.setText(QCoreApplication.translate("SettingsDialog", u"Remove", None))
        self.tabs.setTabText(self.tabs.indexOf(self.staffPage), QCoreApplication.translate("SettingsDialog", u"Staff && PINs", None))
        self.labelTemplateLabel.setText(QCoreApplication.translate("SettingsDialog", u"&Label stock", None))
        self.labelTemplateCombo.setItemText(0, QCoreApplication.translate("SettingsDialog", u"Avery 5160 \u2014 US Letter sheet, 30 labels", None))
        self.labelTemplateCombo.setItemText(1, QCoreApplication.translate("SettingsDialog", u"Avery L7160 \u2014 A4 sheet, 21 labels", None))
        self.labelTemplateCombo.setItemText(2, QCoreApplication.translate("SettingsDialog", u"Dymo 30252 \u2014 address labels roll", None))
        self.labelTemplateCombo.setItemText(3, QCoreApplication.translate("SettingsDialog", u"Dymo 30334 \u2014 2\u00bc\u2033 \u00d7 1\u00bc\u2033 multipurpose roll", None))
        self.labelTemplateCombo.setItemText(4, QCoreApplication.translate("SettingsDialog", u"Zebra 2.25\u2033 \u00d7 1.25\u2033 \u2014 thermal roll", None))
        self.labelTemplateCombo.setItemText(5, QCoreApplication.translate("SettingsDialog", u"Brother DK 62 \u00d7 29 mm \u2014 roll", None))

        self.receiptWidthLabel.setText(QCoreApplication.translate("SettingsDialog", u"Receipt &paper", None))
        self.receiptWidthCombo.setItemText(0, QCoreApplication.translate("SettingsDialog", u"80 mm", None))
        self.receiptWidthCombo.setItemText(1, QCoreApplication.translate("SettingsDialog", u"58 mm", None))

        self.receiptFooterLabel.setText(QCoreApplication.translate("SettingsDialog", u"Receipt &footer", None))
        self.receiptFooterEdit.setPlaceholderText(QCoreApplication.translate("SettingsDialog", u"e.g. Thanks for coming! Follow us @the-band", None))
        self.tabs.setTabText(self.tabs.indexOf(self.printingPage), QCoreApplication.translate("SettingsDialog", u"Printing", None))
        self.dataFolderLabel.setText(QCoreApplication.translate("SettingsDialog", u"Data folder", None))
        self.openFolderButton.setText(QCoreApplication.translate("SettingsDialog", u"Open folder", None))
        self.backupFolderLabel.setText(QCoreApplication.translate("SettingsDialog", u"&Backup folder", None))
        self.backupFolderEdit.setPlaceholderText(QCoreApplication.translate("SettingsDialog", u"a second drive or a synced folder", None))
        self.chooseBackupFolderButton.setText(QCoreApplication.translate("SettingsDialog", u"Choose\u2026", None))
        self.backupEveryLabel.setText(QCoreApplication.translate("SettingsDialog", u"Back up &every", None))
        self.backupEverySpin.setSuffix(QCoreApplication.translate("SettingsDialog", u" min", None))
        self.backupNowButton.setText(QCoreApplication.translate("SettingsDialog", u"Back up now", None))
        self.backupStatusLabel.setText("")
        self.tabs.setTabText(self.tabs.indexOf(self.dataPage), QCoreApplication.translate("SettingsDialog", u"Data && backups", None))
        self.notice.setText("")
        self.closeButton.setText(QCoreApplication.translate("SettingsDialog", u"Close", None))
        self.saveButton.setText(QCoreApplication.translate("SettingsDialog", u"Save", None))
    # retranslateUi

